/**
 * Compacting a database file (storage/compact.ts): after deleting most executions the file
 * shrinks, and the copy holds the same rows, schema version, views, macros, index and
 * attribute index, so a collector opens it and answers as before.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { compactDatabase, CompactError, currentSchemaVersion, openStorage, type Storage } from '../../src/storage/index.js';
import { attributeList, makeExecutionRows, newTraceId } from '../fixtures/rows.js';

const dir = mkdtempSync(join(tmpdir(), 'ft-compact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function counts(storage: Storage): Promise<unknown[][]> {
  return (await storage.sql.run(
    `SELECT (SELECT count(*) FROM span_data), (SELECT count(*) FROM execution_data), (SELECT count(*) FROM attribute_values),
            (SELECT count(*) FROM spans), (SELECT count(*) FROM executions),
            (SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'execution_data_trace_id'),
            (SELECT value FROM flowtrace_meta WHERE key = 'schema_version')`,
  )).rows;
}

it('shrinks a file after deletes and keeps every row, view, index and the schema version', async () => {
  const path = join(dir, 'big.duckdb');
  let storage = await openStorage({ path });
  const traces: string[] = [];
  // Payloads that do not compress away, each span its own (a repeated letter did, and so did one
  // text shared by every span once payloads were zstd-compressed): the file's data, not its fixed
  // blocks, must dominate for "less than half" to measure the compaction (it failed 1 run in 5 at 0.52).
  for (let batch = 0; batch < 10; batch++) {
    const spans = [];
    for (let i = 0; i < 300; i++) {
      const traceId = newTraceId();
      traces.push(traceId);
      const rows = makeExecutionRows({ traceId, nodes: 4, startMs: Date.now() - 3_600_000 + batch * 1000 + i });
      rows[rows.length - 1].attributes = attributeList({ 'order.id': `ord-${traces.length}` }); // in the value index
      for (const row of rows) row.attributes.push('flow.node.input', JSON.stringify(randomBytes(600).toString('base64'))); // a large attribute
      spans.push(...rows);
    }
    await storage.writer.write({ spans, starts: [], logs: [] });
  }
  expect(await storage.deleteExecutions(traces.slice(0, 2400))).toBe(2400);
  const kept = await counts(storage);
  await storage.close();
  const sizeBefore = statSync(path).size;

  const result = await compactDatabase(path);
  expect(result.bytesBefore).toBe(sizeBefore);
  expect(result.bytesAfter).toBe(statSync(path).size);
  console.log(`compact: ${result.bytesBefore} → ${result.bytesAfter} bytes`);
  expect(result.bytesAfter).toBeLessThan(result.bytesBefore / 2);

  storage = await openStorage({ path });
  try {
    expect(await counts(storage)).toEqual(kept);
    expect(String(kept[0][6])).toBe(String(currentSchemaVersion()));
    expect(Number(kept[0][5])).toBe(1);
    const found = await storage.executions.list({ attributes: [{ key: 'order.id', value: 'ord-2999' }], limit: 5 });
    expect(found.executions.map((e) => e.traceId)).toEqual([traces[2998]]);
    expect(await storage.traces.get(traces[0])).toBeUndefined();
  } finally {
    await storage.close();
  }
});

it('refuses a path without a database, and :memory:', async () => {
  await expect(compactDatabase(join(dir, 'missing.duckdb'))).rejects.toBeInstanceOf(CompactError);
  await expect(compactDatabase(':memory:')).rejects.toBeInstanceOf(CompactError);
});
