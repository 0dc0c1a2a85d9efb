// Figure 2: the questions a user asks, through the collector's HTTP API on a loaded file
// database, each repeated: median and p95. Trace ids, flows and attribute values are picked
// from the stored data first (untimed), so the questions hit real rows. Picked on DuckDB (its
// SQL dialect), they are asked again of a collector on ClickHouse loaded with the same dataset:
// the same questions, word for word.
import { getJson, sql } from './lib/http.mjs';
import { loadAverage, median, percentile, timeRuns } from './lib/stats.mjs';
import { WORKLOAD_START_MS } from './lib/workload.mjs';

/** The values the questions ask about, picked from a DuckDB collector's data (untimed). */
export async function pickValues(base) {
  const pick = async (statement) => (await sql(base, statement)).rows.map((r) => String(r[0]));
  const traces = await pick("SELECT trace_id FROM execution_data WHERE span_count < 100 ORDER BY hash(trace_id) LIMIT 25");
  const [bigTrace] = await pick('SELECT trace_id FROM execution_data ORDER BY span_count DESC LIMIT 1');
  const orders = await pick(`SELECT attributes->>'$."order.id"' FROM span_data WHERE parent_span_id IS NULL AND flow_name IS NOT NULL ORDER BY hash(span_id) LIMIT 25`);
  const [flow] = await pick("SELECT flow_name FROM execution_data WHERE flow_name <> 'bulk-import' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
  // Error texts of failed nodes as the row and the span panel show them ("… failed for ord-…: upstream returned 503").
  const errorTexts = await pick('SELECT status_message FROM span_data WHERE status_code = 2 AND status_message IS NOT NULL AND parent_span_id IS NOT NULL ORDER BY hash(span_id) LIMIT 25');
  // …and of the newest failed nodes: the red text of a row a user sees on the list's first pages.
  const recentErrorTexts = await pick('SELECT status_message FROM span_data WHERE status_code = 2 AND status_message IS NOT NULL AND parent_span_id IS NOT NULL AND status_message NOT IN (\'cancelled\', \'timed_out\', \'error\') ORDER BY start_ns DESC LIMIT 25');
  return { traces, bigTrace, orders, flow, errorTexts, recentErrorTexts };
}

/** Every page of a partial text search (partial=true), following nextCursor until the search is complete. */
async function allPartialPages(base, query) {
  let cursor = null;
  for (let n = 0; n < 100; n++) {
    const page = await getJson(`${base}/api/executions?${query}&partial=true${cursor ? `&cursor=${cursor}` : ''}`);
    if (page.nextCursor === null || page.executions.length === 50) return;
    cursor = page.nextCursor;
  }
}

/** The query set: [key, label, target ms or null, () => Promise]. */
function questions(base, { traces, bigTrace, orders, flow, errorTexts, recentErrorTexts = errorTexts }) {
  let t = 0;
  let o = 0;
  let x = 0;
  let y = 0;
  let z = 0;
  let r = 0;
  let e = 0;
  const from = new Date(WORKLOAD_START_MS - 3_600_000).toISOString();
  const enc = encodeURIComponent;
  return {
    flow,
    list: [
      ['trace', 'trace by id (GET /api/executions/:id, ~20 spans)', 10, () => getJson(`${base}/api/executions/${traces[t++ % traces.length]}`)],
      ['bigTrace', 'trace by id, the 10,000-span trace', null, () => getJson(`${base}/api/executions/${bigTrace}`)],
      ['page', 'first page of executions (limit 50)', 20, () => getJson(`${base}/api/executions?limit=50`)],
      ['pageFiltered', 'first page, flow + status=error filters', 20, () => getJson(`${base}/api/executions?limit=50&flow=${enc(flow)}&status=error`)],
      ['attr', 'search by attribute value (attr=order.id=…)', 200, () => getJson(`${base}/api/executions?limit=50&attr=${enc(`order.id=${orders[o++ % orders.length]}`)}`)],
      // Not among the issue's questions: a free-text search (flow and span names, attributes, payloads) for one flow's name.
      ['text', 'search by text, one flow\'s name (q=…)', null, () => getJson(`${base}/api/executions?limit=50&q=${enc(flow)}`)],
      // The text a user copies from a failed run's error, to find that run (status and exception messages, console lines).
      ['errorText', 'search by text, one run\'s error message (q=…)', null, () => getJson(`${base}/api/executions?limit=50&q=${enc(errorTexts[x++ % errorTexts.length])}`)],
      // The same text looked for only in error messages (the run's own fields and error texts, no span read): full pages.
      ['errorTextInErrors', 'search by text in error messages, one run\'s error message (q=…&in=errors)', null, () => getJson(`${base}/api/executions?limit=50&in=errors&q=${enc(errorTexts[e++ % errorTexts.length])}`)],
      // The same, as the viewer may ask it: the first page may stop at the runs found by their error texts (partial=true).
      ['errorTextPartial', 'search by text, one run\'s error message, first answer (q=…&partial=true)', null, () => getJson(`${base}/api/executions?limit=50&partial=true&q=${enc(errorTexts[y++ % errorTexts.length])}`)],
      ['errorTextAll', 'search by text, one run\'s error message, partial pages until the search is complete or a page is full', null, () => allPartialPages(base, `limit=50&q=${enc(errorTexts[z++ % errorTexts.length])}`)],
      ['recentErrorTextPartial', 'search by text, the error message of one of the 25 newest failed nodes, first answer (q=…&partial=true)', null, () => getJson(`${base}/api/executions?limit=50&partial=true&q=${enc(recentErrorTexts[r++ % recentErrorTexts.length])}`)],
      ['flows', 'per-flow stats, p50/p95/p99, all history (GET /api/flows)', 300, () => getJson(`${base}/api/flows`)],
      ['nodes', 'one flow: summary, series, per-node stats (all history)', null, () => getJson(`${base}/api/flows/${enc(flow)}/stats?from=${enc(from)}&bucket=1h`)],
    ],
  };
}

/**
 * Runs every question `runs` times; returns { flow, values, rows: [{ key, label, target, median, p95 }] }.
 * values: what to ask about (pickValues), picked from this collector's data unless given.
 */
export async function measureQueries(base, runs = 20, values = undefined) {
  const load = loadAverage();
  values ??= await pickValues(base);
  const { flow, list } = questions(base, values);
  const rows = [];
  for (const [key, label, target, fn] of list) {
    const samples = await timeRuns(fn, key === 'bigTrace' ? Math.min(runs, 5) : runs, 2);
    rows.push({ key, label, target, median: median(samples), p95: percentile(samples, 95), runs: samples.length });
  }
  return { flow, values, rows, load };
}

/** EXPLAIN ANALYZE of the statements behind the slow questions, through POST /api/sql. */
export async function explainAnalyze(base, statement) {
  const answer = await sql(base, `EXPLAIN ANALYZE ${statement}`);
  return answer.rows.map((r) => r[r.length - 1]).join('\n');
}
