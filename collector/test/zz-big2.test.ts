import { it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
it('fmt', async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  const r = await c.runAndReadAll(`SELECT strftime(make_timestamp_ns(1795316352339139404), '%Y-%m-%dT%H:%M:%S.%gZ') a, json_object('x', NULL::VARCHAR, 'y', '{"a":1}'::JSON, 'z', 1.5::DOUBLE, 'w', 12::BIGINT) b, (1795316352339139404 - 1795316352000000000) / 1e6 AS d`);
  console.log(r.getRowsJS(), new Date(1795316352339).toISOString());
  const e = await c.runAndReadAll(`SELECT CAST(to_json(list_transform(json_transform('[{"name":"exception","timeUnixNano":"1795316352339139404","attributes":{"k":1}}]'::JSON, '[{"name":"VARCHAR","timeUnixNano":"VARCHAR","attributes":"JSON"}]'), x -> json_object('name', x.name, 'time', strftime(make_timestamp_ns(x.timeUnixNano::BIGINT), '%Y-%m-%dT%H:%M:%S.%gZ'), 'timeUnixNano', x.timeUnixNano, 'attributes', x.attributes))) AS VARCHAR)`);
  console.log(e.getRowsJS());
});
