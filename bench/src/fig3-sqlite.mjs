// Figure 3: the home-grown execution logger flowtrace replaces — SQLite (better-sqlite3, WAL,
// one transaction per execution) with the executions/node_executions schema — fed the
// same executions and asked the same questions as flowtrace in figure 2.
import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { loadAverage, median, percentile, timeRuns } from './lib/stats.mjs';
import { executions } from './lib/workload.mjs';

const SCHEMA = `
CREATE TABLE executions (id TEXT PRIMARY KEY, workflow_id TEXT, workflow_name TEXT, status TEXT, started_at TEXT, completed_at TEXT,
  duration_ms INTEGER, trigger_type TEXT, trigger_data TEXT, error_message TEXT, error_stack TEXT, error_node_id TEXT, created_at TEXT);
CREATE TABLE node_executions (id INTEGER PRIMARY KEY AUTOINCREMENT, execution_id TEXT REFERENCES executions(id) ON DELETE CASCADE,
  node_id TEXT, node_name TEXT, node_type TEXT, status TEXT, started_at TEXT, completed_at TEXT, duration_ms INTEGER,
  input TEXT, output TEXT, error_message TEXT, error_stack TEXT);
CREATE INDEX executions_workflow_id ON executions(workflow_id);
CREATE INDEX executions_status ON executions(status);
CREATE INDEX executions_started_at ON executions(started_at DESC);
CREATE INDEX node_executions_execution_id ON node_executions(execution_id);
CREATE INDEX node_executions_node_id ON node_executions(node_id);`;

const iso = (ns) => new Date(Number(ns / 1_000_000n)).toISOString();
const ms = (s) => Number((s.endNs - s.startNs) / 1_000_000n);
const nodeStatus = (s) => s.nodeStatus ?? (s.statusCode === 2 ? 'error' : 'success');

/** Opens a fresh SQLite database with the schema, WAL and foreign keys on. */
export function openSqlite(path) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}

/** Stores the workload, one transaction per execution; times only the transactions. */
export function loadSqlite(db, { seed, spans, payloads = true }) {
  const load = loadAverage();
  const insertExecution = db.prepare('INSERT INTO executions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)');
  const insertNode = db.prepare('INSERT INTO node_executions (execution_id,node_id,node_name,node_type,status,started_at,completed_at,duration_ms,input,output,error_message,error_stack) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  const store = db.transaction((e) => {
    const r = e.root;
    const f = r.flow;
    insertExecution.run(e.traceId, f.id, f.name, e.status, iso(r.startNs), iso(r.endNs), ms(r), f.trigger,
      JSON.stringify({ orderId: f.orderId, userId: f.userId, input: r.input }), r.errorMessage ?? null, null, r.errorNodeId ?? null, iso(r.startNs));
    for (const s of e.spans) {
      if (s === r) continue;
      insertNode.run(e.traceId, s.node.id, s.node.name, s.node.type, nodeStatus(s), iso(s.startNs), iso(s.endNs), ms(s),
        s.input, s.output, s.exception?.message ?? null, s.exception?.stack ?? null);
    }
  });
  let stored = 0;
  let count = 0;
  let elapsed = 0;
  for (const e of executions({ seed, totalSpans: spans, payloads })) {
    const t0 = performance.now();
    store(e);
    elapsed += performance.now() - t0;
    stored += e.spans.length;
    count += 1;
  }
  return { spans: stored, executions: count, seconds: elapsed / 1000, spansPerSec: stored / (elapsed / 1000), executionsPerSec: count / (elapsed / 1000), load };
}

/** Bytes of the database after a WAL checkpoint. */
export function sqliteBytes(db, path) {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(path).size;
}

const PERCENTILES = `
WITH r AS (
  SELECT workflow_name AS flow, status, duration_ms,
         ROW_NUMBER() OVER (PARTITION BY workflow_name ORDER BY duration_ms) AS rn,
         COUNT(*) OVER (PARTITION BY workflow_name) AS n
  FROM executions WHERE completed_at IS NOT NULL)
SELECT flow, max(n) AS count, avg(status = 'success') AS success_rate, avg(status = 'error') AS error_rate, avg(duration_ms) AS avg_ms,
       min(CASE WHEN rn >= 0.50 * n THEN duration_ms END) AS p50, min(CASE WHEN rn >= 0.95 * n THEN duration_ms END) AS p95,
       min(CASE WHEN rn >= 0.99 * n THEN duration_ms END) AS p99
FROM r GROUP BY flow`;

const NODE_STATS = `
WITH r AS (
  SELECT n.node_id, n.status, n.duration_ms,
         ROW_NUMBER() OVER (PARTITION BY n.node_id ORDER BY n.duration_ms) AS rn, COUNT(*) OVER (PARTITION BY n.node_id) AS c
  FROM node_executions n JOIN executions e ON e.id = n.execution_id WHERE e.workflow_name = ?)
SELECT node_id, max(c), sum(status = 'error'), avg(duration_ms), min(CASE WHEN rn >= 0.5 * c THEN duration_ms END),
       min(CASE WHEN rn >= 0.95 * c THEN duration_ms END) FROM r GROUP BY node_id`;

/** The figure 2 questions asked of SQLite; same keys, medians and p95 in ms. */
export async function querySqlite(db, flow, runs = 20) {
  const load = loadAverage();
  const ids = db.prepare('SELECT id FROM executions ORDER BY id LIMIT 25').pluck().all();
  const orders = db.prepare("SELECT json_extract(trigger_data, '$.orderId') FROM executions ORDER BY id DESC LIMIT 25").pluck().all();
  const [bigId] = db.prepare('SELECT execution_id FROM node_executions GROUP BY execution_id ORDER BY count(*) DESC LIMIT 1').pluck().all();
  const flowId = db.prepare('SELECT workflow_id FROM executions WHERE workflow_name = ? LIMIT 1').pluck().get(flow);
  const detailExec = db.prepare('SELECT * FROM executions WHERE id = ?');
  const detailNodes = db.prepare('SELECT * FROM node_executions WHERE execution_id = ? ORDER BY id');
  const page = db.prepare('SELECT * FROM executions ORDER BY started_at DESC LIMIT 50');
  const filtered = db.prepare("SELECT * FROM executions WHERE workflow_id = ? AND status = 'error' ORDER BY started_at DESC LIMIT 50");
  const attr = db.prepare("SELECT * FROM executions WHERE json_extract(trigger_data, '$.orderId') = ? ORDER BY started_at DESC LIMIT 50");
  const flows = db.prepare(PERCENTILES);
  const nodes = db.prepare(NODE_STATS);
  let t = 0;
  let o = 0;
  const detail = (id) => ({ execution: detailExec.get(id), nodes: detailNodes.all(id) });
  const list = [
    ['trace', () => detail(ids[t++ % ids.length])],
    ['bigTrace', () => detail(bigId)],
    ['page', () => page.all()],
    ['pageFiltered', () => filtered.all(flowId)],
    ['attr', () => attr.all(orders[o++ % orders.length])],
    ['flows', () => flows.all()],
    ['nodes', () => nodes.all(flow)],
  ];
  const rows = [];
  for (const [key, fn] of list) {
    const n = key === 'flows' || key === 'attr' || key === 'bigTrace' ? Math.max(3, Math.floor(runs / 4)) : runs;
    const samples = await timeRuns(async () => fn(), n, 1);
    rows.push({ key, median: median(samples), p95: percentile(samples, 95), runs: samples.length });
  }
  return { rows, load };
}
