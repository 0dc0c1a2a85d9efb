// The ClickHouse (chDB) rows of figures 1–4 (and 8): each prints what it measured on a collector
// over ClickHouse, DuckDB's figure for the same measure from the same run as its baseline, and
// their ratio ("× DuckDB's …"), under DuckDB's target. Rows start with "ClickHouse (chDB):" and
// follow DuckDB's rows of the same figure.
import { fmt } from './lib/report.mjs';

const CH = 'ClickHouse (chDB)';
const times = (ch, duck, what) => `${fmt.ratio(ch / duck)} DuckDB's ${what}`;
const cpuNote = (c) => `collector CPU ${c.total.toFixed(1)} s: main thread ${c.main.toFixed(1)}, ClickHouse's threads ${c.engine.toFixed(1)}, Node's other threads ${c.node.toFixed(1)}${c.ended >= 0.05 ? `, ended threads ${c.ended.toFixed(1)}` : ''}`;

/** Figure 1: ingest over HTTP to a collector on ClickHouse, against DuckDB's run of the same dataset. */
export function ingestRow(report, label, ch, duck) {
  report.add({ fig: 1, measure: `${CH}: ingest over HTTP, ${label}: ${fmt.n(ch.acked)} spans acknowledged, ${fmt.n(ch.stored)} stored, ${ch.clients} client processes × ${ch.inflight} connections (request p50 ${fmt.ms(ch.latencyP50)}, p99 ${fmt.ms(ch.latencyP99)}; ${cpuNote(ch.cpu)})`,
    value: `${fmt.n(ch.spansPerSec)} spans/s`, baseline: `DuckDB ${fmt.n(duck.spansPerSec)} spans/s`, ratio: times(ch.spansPerSec, duck.spansPerSec, 'rate'),
    target: '≥ 60,000 spans/s', met: fmt.met(ch.spansPerSec >= 60_000), load: ch.load });
}

/** Figure 8: the collector's memory during that ingest (chDB's engine lives in the collector process). */
export function memoryRow(report, ch, duck) {
  report.add({ fig: 8, measure: `${CH}: collector RSS during the ingest run (${ch.format}, ${fmt.n(ch.acked)} spans; the engine runs inside the collector process)`,
    value: `peak ${fmt.mb(ch.peakRss)}, at the end ${fmt.mb(ch.endRss)}`, baseline: `DuckDB peak ${fmt.mb(duck.peakRss)}, at the end ${fmt.mb(duck.endRss)}`,
    ratio: times(ch.peakRss, duck.peakRss, 'peak'), load: ch.load });
}

/** Figure 2: the same questions (the same ids and values) against the collector on ClickHouse. */
export function queryRows(report, sizeLabel, ch, duck) {
  const duckBy = new Map(duck.rows.map((r) => [r.key, r]));
  for (const q of ch.rows) {
    const d = duckBy.get(q.key);
    report.add({ fig: 2, measure: `${CH}: ${sizeLabel}: ${q.label} (${q.runs} runs)`, value: `median ${fmt.ms(q.median)}, p95 ${fmt.ms(q.p95)}`,
      baseline: d ? `DuckDB median ${fmt.ms(d.median)}, p95 ${fmt.ms(d.p95)}` : '', ratio: d ? times(q.median, d.median, 'median') : '',
      target: q.target ? `p95 ≤ ${q.target} ms at 10M` : '', met: q.target ? fmt.met(q.p95 <= q.target) : '', load: ch.load });
  }
}

/** Figure 3: per-flow statistics on ClickHouse against the SQLite design, and against DuckDB's. */
export function flowStatsRow(report, sizeLabel, ch, duck, lite) {
  const f = ch.rows.find((r) => r.key === 'flows');
  const d = duck.rows.find((r) => r.key === 'flows');
  const l = lite.rows.find((r) => r.key === 'flows');
  if (!f || !d || !l) return;
  report.add({ fig: 3, measure: `${CH}: ${sizeLabel}: per-flow statistics (count, rates, p50/p95/p99) vs SQLite`, value: fmt.ms(f.median),
    baseline: `SQLite ${fmt.ms(l.median)}; DuckDB ${fmt.ms(d.median)}`, ratio: `${fmt.ratio(l.median / f.median)} faster than SQLite; ${times(f.median, d.median, 'median')}`,
    target: '≥ 20× faster (at 10M)', met: fmt.met(l.median / f.median >= 20), load: ch.load });
}

/** Figure 3: the SQLite design's insert rate against HTTP ingest on ClickHouse. */
export function sqliteInsertRow(report, sizeLabel, lite, ch, duck) {
  report.add({ fig: 3, measure: `${CH}: ${sizeLabel}: HTTP ingest against the SQLite design's insert rate (one transaction per execution)`,
    value: `${fmt.n(ch.spansPerSec)} spans/s`, baseline: `SQLite design ${fmt.n(lite.spansPerSec)} spans/s; DuckDB ${fmt.n(duck.spansPerSec)} spans/s`,
    ratio: `${fmt.ratio(ch.spansPerSec / lite.spansPerSec)} SQLite's rate; ${times(ch.spansPerSec, duck.spansPerSec, 'rate')}`, load: ch.load });
}

/** Figure 4: bytes per span in ClickHouse's active parts (system.parts), against DuckDB's file. */
export function storageRow(report, ch, duck) {
  const label = ch.payloads ? 'payload workload' : 'spans without payloads';
  const per = (bytes) => bytes / ch.spans;
  report.add({ fig: 4, measure: `${CH}: bytes per span on disk, ${label} (${fmt.n(ch.spans)} spans through the storage writer, ${fmt.n(ch.storedSpans)} stored; DuckDB ${fmt.n(duck.spans)}; system.parts, active parts of every table: sum(bytes_on_disk) / spans; span_data alone ${fmt.n(per(ch.spanDataBytes), 1)} B/span in ${ch.parts} parts; the change feed, kept 1 h for live events, ${fmt.n(per(ch.changeFeedBytes), 1)} B/span)`,
    value: `${fmt.n(per(ch.bytes), 1)} B/span (${fmt.mb(ch.bytes)}); after OPTIMIZE … FINAL ${fmt.n(per(ch.optimizedBytes), 1)} B/span`,
    baseline: `DuckDB ${fmt.n(duck.duckPerSpan, 1)} B/span (after \`flowtrace compact\` ${fmt.n(duck.compactedPerSpan, 1)}); OTLP/JSON ${fmt.n(duck.jsonPerSpan)} B/span`,
    ratio: `${times(per(ch.bytes), duck.duckPerSpan, 'bytes')}, ${((per(ch.bytes) / duck.jsonPerSpan) * 100).toFixed(1)} % of OTLP/JSON`,
    target: ch.payloads ? 'smaller than OTLP/JSON' : '≤ 50 B/span', met: fmt.met(ch.payloads ? per(ch.bytes) < duck.jsonPerSpan : per(ch.bytes) <= 50), load: ch.load });
}

/** A spans-stored check for the ClickHouse runs: the same spans as DuckDB's. */
export function countsNote(report, label, ch, duck) {
  const same = ch.stored === duck.stored && ch.sent === ch.planned && ch.acked === ch.sent && ch.stored === ch.acked;
  report.note(`Counts, ${label} ingest on ClickHouse (chDB)`, `planned ${ch.planned}, sent ${ch.sent}, acknowledged ${ch.acked}, stored ${ch.stored} (count() FROM span_data FINAL), rejected ${ch.rejected}; ${ch.requests} requests, statuses ${JSON.stringify(ch.statuses)}, ${ch.retries} retries. DuckDB stored ${duck.stored}. Counts add up and match DuckDB's: ${same ? 'yes' : '**NO**'}.`);
  return same;
}
