// Turns each figure's measurement into report rows: value, same-run baseline, ratio, target.
import { fmt } from './lib/report.mjs';

export function ingestRows(report, label, r, limit) {
  const ratio = r.spansPerSec / limit.spansPerSec;
  report.add({ fig: 1, measure: `ingest over HTTP, ${label}: ${fmt.n(r.acked)} spans acknowledged, ${r.clients} client processes × ${r.inflight} connections (request p50 ${fmt.ms(r.latencyP50)}, p99 ${fmt.ms(r.latencyP99)})`,
    value: `${fmt.n(r.spansPerSec)} spans/s`, baseline: `DuckDB appender ${fmt.n(limit.spansPerSec)} spans/s`, ratio: `${(ratio * 100).toFixed(0)} % of the limit`,
    target: '≥ 60,000 spans/s', met: fmt.met(r.spansPerSec >= 60_000), load: r.load });
}

export function insertRow(report, inserts, limit) {
  report.add({ fig: 1, measure: `baseline: one prepared INSERT per row, autocommit (${fmt.n(inserts.rows)} rows)`, value: `${fmt.n(inserts.spansPerSec)} spans/s`,
    baseline: `DuckDB appender ${fmt.n(limit.spansPerSec)} spans/s`, ratio: `${((inserts.spansPerSec / limit.spansPerSec) * 100).toFixed(1)} % of the limit`, load: inserts.load });
}

export function countsOk(r) {
  return r.sent === r.planned && r.acked === r.sent && r.stored === r.acked;
}

const TARGET_NOTES = { trace: 'at 10M', page: 'at 10M', pageFiltered: 'at 10M', attr: 'at 10M', flows: 'at 10M' };

export function queryRows(report, sizeLabel, duck, lite) {
  const liteBy = new Map(lite.rows.map((r) => [r.key, r]));
  for (const q of duck.rows) {
    const l = liteBy.get(q.key);
    const speedup = l ? l.median / q.median : NaN;
    report.add({ fig: 2, measure: `${sizeLabel}: ${q.label} (${q.runs} runs)`, value: `median ${fmt.ms(q.median)}, p95 ${fmt.ms(q.p95)}`,
      baseline: l ? `SQLite design median ${fmt.ms(l.median)}, p95 ${fmt.ms(l.p95)}` : '', ratio: l ? `SQLite/flowtrace ${fmt.ratio(speedup)}` : '',
      target: q.target ? `p95 ≤ ${q.target} ms ${TARGET_NOTES[q.key] ?? ''}`.trim() : '', met: q.target ? fmt.met(q.p95 <= q.target) : '', load: duck.load });
  }
  const f = duck.rows.find((r) => r.key === 'flows');
  const l = liteBy.get('flows');
  if (!f || !l) return; // figure 3 not run (--only without 3)
  report.add({ fig: 3, measure: `${sizeLabel}: per-flow statistics (count, rates, p50/p95/p99) flowtrace vs SQLite`, value: `${fmt.ms(f.median)}`,
    baseline: `SQLite ${fmt.ms(l.median)}`, ratio: `${fmt.ratio(l.median / f.median)} faster`, target: '≥ 20× faster (at 10M)', met: fmt.met(l.median / f.median >= 20), load: lite.load });
}

export function sqliteInsertRow(report, sizeLabel, lite, ingest) {
  report.add({ fig: 3, measure: `${sizeLabel}: SQLite design insert rate, one transaction per execution (${fmt.n(lite.executions)} executions)`,
    value: `${fmt.n(lite.spansPerSec)} spans/s (${fmt.n(lite.executionsPerSec)} executions/s)`,
    baseline: ingest ? `flowtrace HTTP ingest ${fmt.n(ingest.spansPerSec)} spans/s` : '', ratio: ingest ? `flowtrace/SQLite ${fmt.ratio(ingest.spansPerSec / lite.spansPerSec)}` : '', load: lite.load });
}

export function storageRows(report, s) {
  const label = s.payloads ? 'payload workload' : 'spans without payloads';
  report.add({ fig: 4, measure: `bytes per span on disk after checkpoint, ${label} (${fmt.n(s.spans)} spans; OTLP protobuf ${fmt.n(s.protobufPerSpan)} B/span)`,
    value: `${fmt.n(s.duckPerSpan, 1)} B/span (${fmt.mb(s.duckBytes)}); after \`flowtrace compact\` ${fmt.n(s.compactedPerSpan, 1)} B/span`, baseline: `SQLite design ${fmt.n(s.sqlitePerSpan, 1)} B/span; OTLP/JSON ${fmt.n(s.jsonPerSpan)} B/span`,
    ratio: `${fmt.ratio(s.duckPerSpan / s.sqlitePerSpan)} of SQLite, ${((s.duckPerSpan / s.jsonPerSpan) * 100).toFixed(1)} % of OTLP/JSON`,
    target: s.payloads ? 'smaller than OTLP/JSON' : '≤ 50 B/span', met: fmt.met(s.payloads ? s.duckPerSpan < s.jsonPerSpan : s.duckPerSpan <= 50), load: s.load });
}

export function instrumentationRows(report, r) {
  const row = (name, label, extra = {}) => report.add({ fig: 5, measure: `${label}, flow of ${r.nodes} empty nodes (${fmt.n(r.flows)} flows; CPU time, variants alternated)`, value: `${r[name].toFixed(2)} µs/node`, load: r.load, ...extra });
  row('none', 'no tracing');
  row('sdk', 'bare OpenTelemetry SDK, a span per node', { baseline: `no tracing ${r.none.toFixed(2)} µs` });
  const variants = [['flowtraceOff', 'flowtrace, capture off'], ['flowtraceOn', 'flowtrace, capture on (console, start marks), nodes without input']];
  if (r.flowtraceOnInput !== undefined) variants.push(['flowtraceOnInput', 'flowtrace, capture on, every node with an input and an output']);
  for (const [name, label] of variants) {
    const ratio = r[name] / r.sdk;
    row(name, label, { baseline: `bare SDK ${r.sdk.toFixed(2)} µs`, ratio: fmt.ratio(ratio), target: '≤ 4 µs and ≤ 1.2× SDK', met: fmt.met(r[name] <= 4 && ratio <= 1.2) });
  }
  if (r.valuesOn !== undefined && r.valuesOff !== undefined) {
    report.add({ fig: 5, measure: `flowtrace, capture on, every node with an order-like input and output (~500 B of JSON text: a note, dates, ids, a phone number, no secret), default value patterns on (cards, tokens, keys), flow of ${r.nodes} nodes (${fmt.n(r.flows)} flows; CPU time, variants alternated)`,
      value: `${r.valuesOn.toFixed(2)} µs/node`, baseline: `value patterns off ${r.valuesOff.toFixed(2)} µs`, ratio: `${fmt.ratio(r.valuesOn / r.valuesOff)} (+${(r.valuesOn - r.valuesOff).toFixed(2)} µs/node)`, load: r.load });
  }
  const pct = (ms) => (ms / r.slowUntracedMs - 1) * 100;
  const signed = (p) => `${p >= 0 ? '+' : ''}${p.toFixed(2)} %`;
  const slow = pct(r.slowTracedMs);
  const sdkNote = r.slowSdkMs !== undefined ? `; bare SDK spans ${r.slowSdkMs.toFixed(2)} ms/flow (${signed(pct(r.slowSdkMs))})` : '';
  report.add({ fig: 5, measure: 'flow of 20 nodes of 1 ms CPU work, flowtrace capture on', value: `${r.slowTracedMs.toFixed(2)} ms/flow`, baseline: `untraced ${r.slowUntracedMs.toFixed(2)} ms/flow${sdkNote}`,
    ratio: signed(slow), target: '< 1 % slower', met: fmt.met(slow < 1), load: r.load });
}

export function liveRow(report, r) {
  report.add({ fig: 6, measure: `live latency, span end → event on /api/live (${r.received}/${r.expected} spans seen)`, value: `p50 ${fmt.ms(r.p50)}, p95 ${fmt.ms(r.p95)}`,
    baseline: 'export interval 500 ms (batching by design)', ratio: `p95 = ${fmt.ratio(r.p95 / 500)} the interval`, target: 'p95 ≤ 1 s', met: fmt.met(r.p95 <= 1000), load: r.load });
}

export function viewerRows(report, v) {
  for (const t of v.traces) {
    const split = t.split ? `; in the page: outline ${fmt.n(t.split.fetchMs)} ms, tree ${fmt.n(t.split.treeMs)} ms` : '';
    report.add({ fig: 7, measure: `time to first paint, ${fmt.n(t.spans)}-span trace, Chromium (median of 3: ${t.paints.join(', ')} ms${split})`, value: `${fmt.n(t.paintMs)} ms`,
      baseline: `GET /api/executions/:id/outline alone ${fmt.n(t.apiMs)} ms (full trace ${fmt.n(t.fullMs)} ms)`, ratio: fmt.ratio(t.paintMs / t.apiMs), target: t.spans >= 100_000 ? '≤ 2 s' : '',
      met: t.spans >= 100_000 ? fmt.met(t.paintMs <= 2000) : '', load: v.load });
  }
}

/** Figure 7, the "why" views (issue 19): click to drawn in Chromium against the API route alone. */
export function whyRows(report, v) {
  const views = [
    ['critical path toggle', 'criticalMs', 'critical-path', 'criticalMs'],
    ['Time tab (table + flame graph)', 'timeMs', 'stats', 'statsMs'],
    ['compare with marked run', 'compareMs', ':a/compare/:b', 'compareMs'],
  ];
  for (const t of v.traces) {
    for (const [label, key, route, apiKey] of views) {
      const c = t.clicks[key];
      report.add({ fig: 7, measure: `${label}, click to drawn, ${fmt.n(t.spans)}-span trace, Chromium (median of 3: ${c.runs.join(', ')} ms)`, value: `${fmt.n(c.median)} ms`,
        baseline: `GET …/${route} alone ${fmt.n(t.api[apiKey])} ms`, ratio: fmt.ratio(c.median / t.api[apiKey]), target: t.spans <= 10_010 ? '≤ 300 ms' : '',
        met: t.spans <= 10_010 ? fmt.met(c.median <= 300) : '', load: v.load });
    }
    // With a base viewer build (why-views.mjs's third argument): the same click on it, alternating.
    const base = t.baseline?.compareMs;
    if (base) {
      report.add({ fig: 7, measure: `compare with marked run, click to drawn, ${fmt.n(t.spans)}-span trace, this viewer against the session's base viewer (medians of ${base.runs.length})`,
        value: `${fmt.n(t.clicks.compareMs.median)} ms`, baseline: `base viewer ${fmt.n(base.median)} ms`, ratio: fmt.ratio(t.clicks.compareMs.median / base.median), target: '', met: '', load: v.load });
    }
  }
}

export function memoryRow(report, r) {
  report.add({ fig: 8, measure: `collector RSS during the ingest run (${r.format}, ${fmt.n(r.acked)} spans)`, value: `peak ${fmt.mb(r.peakRss)}, at the end ${fmt.mb(r.endRss)}`,
    baseline: `idle after start ${fmt.mb(r.idleRss)}`, ratio: fmt.ratio(r.peakRss / r.idleRss), load: r.load });
}
