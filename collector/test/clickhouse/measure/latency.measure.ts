/** Round-trip cost of a statement on chDB through @clickhouse/client (prints figures): SELECT 1, and one with an Array parameter. */
import { afterAll, it } from 'vitest';
import { openConnection } from '../../../src/storage/clickhouse/connection.js';
import { chdbDir, removeChdbDir } from '../chdb-store.js';

afterAll(() => removeChdbDir());

it('measures a statement round trip', async () => {
  const conn = await openConnection({ kind: 'chdb', path: chdbDir() });
  const ids = Array.from({ length: 80 }, (_, i) => `trace${i}`);
  for (const [name, run] of [
    ['SELECT 1', () => conn.query('SELECT 1 AS x')],
    ['IN 80 ids', () => conn.query('SELECT count() AS x FROM numbers(10) WHERE toString(number) IN {ids:Array(String)}', { ids })],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`${name}: median ${times[15].toFixed(2)} ms, min ${times[0].toFixed(2)} ms`);
  }
  await conn.close();
});
