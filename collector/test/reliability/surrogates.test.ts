/**
 * Lone UTF-16 surrogates (an emoji cut in half: "\ud83d" in OTLP/JSON, or invalid UTF-8 in a
 * protobuf string) are stored as U+FFFD, so every stored text stays valid JSON; and a database
 * that already holds such rows, written by an older flowtrace, upgrades and answers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestCollector } from '../fixtures/collector.js';
import { startCli } from '../fixtures/cli-process.js';
import {
  attr, encodeJson, encodeLogsProtobuf, encodeTraceProtobuf, makeLogRecord, makeLogsRequest, makeOtlpSpan,
  makeTraceRequest, strAttr,
} from '../fixtures/otlp.js';
import { runSql } from '../fixtures/stored.js';
import { postOtlp } from '../fixtures/traffic.js';
import type { RunningServer } from '../../src/server.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const HALF = '\ud83d';
const LOW = '\udc00';
const JSON_TYPE = { 'content-type': 'application/json' };
const PROTOBUF = { 'content-type': 'application/x-protobuf' };

/** A span with a lone surrogate in every text it has. */
function brokenSpan(traceId: string) {
  return makeOtlpSpan({
    traceId,
    spanId: hex(8),
    name: `name ${HALF}`,
    attributes: [
      strAttr(`key ${LOW}`, 'v'),
      strAttr('value', `cut ${HALF}`),
      strAttr('flow.name', `flow ${HALF}`),
      attr('list', { arrayValue: { values: [{ stringValue: HALF }] } }),
      attr('map', { kvlistValue: { values: [{ key: `inner ${HALF}`, value: { stringValue: LOW } }] } }),
      strAttr('large', `${'x'.repeat(300)}${HALF}`),
    ],
    events: [{ name: `event ${HALF}`, timeUnixNano: '1544712660500000000', attributes: [strAttr('exception.message', `boom ${HALF}`)] }],
    links: [{ traceId: hex(16), spanId: hex(8), traceState: `ts=${HALF}`, attributes: [strAttr('l', HALF)] }],
    status: { code: 2, message: `status ${HALF}` },
  });
}

const brokenResource = [strAttr('service.name', 'surrogates'), strAttr(`res ${HALF}`, LOW)];

describe('lone surrogates on ingest', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestCollector({ sqlMaxRows: 1_000_000 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores U+FFFD in place of every lone surrogate of a JSON body, so the JSON columns read back', async () => {
    const traceId = hex(16);
    const request = makeTraceRequest([brokenSpan(traceId)], { resourceAttributes: brokenResource, scope: { name: `scope ${HALF}`, version: LOW } });
    const answer = await postOtlp(server.url, encodeJson(request), JSON_TYPE);
    expect(answer.status, answer.text).toBe(200);
    const logs = makeLogsRequest([
      makeLogRecord({ traceId, body: { stringValue: `line ${HALF}` }, severityText: `INFO${HALF}`, attributes: [strAttr(`a${HALF}`, LOW)] }),
      makeLogRecord({ traceId, body: { kvlistValue: { values: [{ key: HALF, value: { stringValue: LOW } }] } } }),
    ], { resourceAttributes: brokenResource });
    expect((await postOtlp(server.url, encodeJson(logs), JSON_TYPE, 'logs')).status).toBe(200);

    const attributes = await api(server.url, '/api/attributes');
    expect(attributes.status, JSON.stringify(attributes.body)).toBe(200);
    const [span] = await runSql<Record<string, string>>(server.url,
      `SELECT name, status_message, flow_name, attributes::VARCHAR AS a, resource_attributes::VARCHAR AS r, events::VARCHAR AS e, links::VARCHAR AS l, scope_name FROM spans WHERE trace_id = '${traceId}'`);
    expect(span.name).toBe('name \ufffd');
    expect(span.status_message).toBe('status \ufffd');
    expect(span.flow_name).toBe('flow \ufffd');
    expect(span.scope_name).toBe('scope \ufffd');
    const a = JSON.parse(span.a);
    expect(a['key \ufffd']).toBe('v');
    expect(a.value).toBe('cut \ufffd');
    expect(a.map).toEqual({ 'inner \ufffd': '\ufffd' });
    expect(a.large.endsWith('x\ufffd')).toBe(true);
    expect(JSON.parse(span.r)['res \ufffd']).toBe('\ufffd');
    expect(JSON.parse(span.e)[0].name).toBe('event \ufffd');
    expect(JSON.parse(span.l)[0].traceState).toBe('ts=\ufffd');
    const lines = await runSql<{ body: string; severity: string; a: string }>(server.url,
      `SELECT body, severity, attributes::VARCHAR AS a FROM logs WHERE trace_id = '${traceId}' ORDER BY body`);
    expect(lines.map((l) => l.body).sort()).toEqual(['line \ufffd', '{"\ufffd":"\ufffd"}']);
    expect(JSON.parse(lines.find((l) => l.body.startsWith('line'))!.a)).toEqual({ 'a\ufffd': '\ufffd' });
  });

  it('stores no lone surrogate from invalid UTF-8 in protobuf strings', async () => {
    const traceId = hex(16);
    const request = makeTraceRequest([makeOtlpSpan({ traceId, spanId: hex(8), name: 'n-QQQQ', attributes: [strAttr('QQQQ', 'v-QQQQ')] })]);
    const body = Buffer.from(encodeTraceProtobuf(request));
    // "QQQQ" → ED A0 80 41: the UTF-8 encoding of the lone surrogate U+D800, then "A".
    const marker = Buffer.from('QQQQ');
    for (let at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at + 4)) body.set([0xed, 0xa0, 0x80, 0x41], at);
    expect((await postOtlp(server.url, body, PROTOBUF)).status).toBe(200);
    const logs = Buffer.from(encodeLogsProtobuf(makeLogsRequest([makeLogRecord({ traceId, body: { stringValue: 'QQQQ' }, attributes: [strAttr('QQQQ', 'QQQQ')] })])));
    for (let at = logs.indexOf(marker); at >= 0; at = logs.indexOf(marker, at + 4)) logs.set([0xed, 0xa0, 0x80, 0x41], at);
    expect((await postOtlp(server.url, logs, PROTOBUF, 'logs')).status).toBe(200);
    expect((await api(server.url, '/api/attributes')).status).toBe(200);
    const [span] = await runSql<{ name: string; a: string }>(server.url, `SELECT name, attributes::VARCHAR AS a FROM spans WHERE trace_id = '${traceId}'`);
    // However the decoder reads the bytes, what is stored is well-formed and holds U+FFFD.
    const wellFormed = (text: string) => !/\\u[dD][89a-fA-F]|[\ud800-\udfff]/.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
    expect(wellFormed(span.name) && span.name.startsWith('n-\ufffd')).toBe(true);
    expect(wellFormed(span.a) && Object.values(JSON.parse(span.a)).some((v) => String(v).startsWith('v-\ufffd'))).toBe(true);
    const [line] = await runSql<{ a: string }>(server.url, `SELECT attributes::VARCHAR AS a FROM logs WHERE trace_id = '${traceId}'`);
    expect(wellFormed(line.a) && line.a.includes('\ufffd')).toBe(true);
  });
});

/** The schema files as an older flowtrace applied them, up to `version`. */
function schemaSql(version: number): string[] {
  const dir = new URL('../fixtures/schema-history/', import.meta.url);
  const files = readFileSync(new URL('order.txt', dir), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return files.slice(0, version).map((f) => readFileSync(new URL(f, dir), 'utf8'));
}

/**
 * A database file at schema `version` holding rows as the old ingest wrote them: JSON texts
 * with lone surrogate escapes (JSON.stringify("\ud83d") is the text "\ud83d"), one escape cut
 * in two by the old large_attributes list's pieces, and an escaped backslash that must stay as it is.
 */
async function oldDatabase(path: string, version: number, traceId: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  for (const sql of schemaSql(version)) await c.run(sql);
  await c.run(`INSERT INTO flowtrace_meta VALUES ('schema_version', '${version}')`);
  const now = BigInt(Date.now()) * 1_000_000n;
  const bad = JSON.stringify({ [`k${HALF}`]: `v${HALF}${HALF}`, pair: `${HALF}${LOW}`, slash: '\\ud83d', low: LOW });
  const large = JSON.stringify({ big: `${'y'.repeat(3790)}${HALF}` });
  await c.run(`INSERT INTO span_data (trace_id, span_id, name, kind, service_name, start_ns, end_ns, status_code, attributes,
      resource_attributes, events, links, flags, dropped_attributes_count, dropped_events_count, dropped_links_count, large_attributes)
    VALUES ($t, 'aaaaaaaaaaaaaaaa', 'old', 1, 'old-svc', $s, $e, 0, $a, $a, $ev, '[]', 0, 0, 0, 0, [$l1, $l2])`,
  { t: traceId, s: now, e: now + 1000n, a: bad, ev: JSON.stringify([{ name: HALF, attributes: { m: HALF } }]), l1: large.slice(0, 3800), l2: large.slice(3800) });
  await c.run(`INSERT INTO span_starts (trace_id, span_id, name, kind, service_name, start_ns, attributes, resource_attributes)
    VALUES ($t, 'bbbbbbbbbbbbbbbb', 'running', 1, 'old-svc', $s, $a, $a)`, { t: traceId, s: now, a: bad });
  await c.run(`INSERT INTO log_data VALUES ($t, '', $s, $s, 9, 'INFO', 'line', $a, $a, 'old-svc', NULL, 0, 0)`, { t: traceId, s: now, a: bad });
  await c.run(`INSERT INTO execution_data (trace_id, root_span_id, root_name, root_finished, root_started, service_name, start_ns, end_ns,
      min_start_ns, max_start_ns, span_count, error_count, last_seen_ns)
    VALUES ($t, 'aaaaaaaaaaaaaaaa', 'old', true, true, 'old-svc', $s, $e, $s, $s, 2, 0, $s)`, { t: traceId, s: now, e: now + 1000n });
  c.closeSync();
  instance.closeSync();
}

describe('a database holding lone surrogate escapes from an older flowtrace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ft-surrogates-'));

  for (const version of [8, 9]) {
    it(`upgrades from schema ${version}: the collector starts and every API over the old rows answers`, async () => {
      const traceId = hex(16);
      const path = join(dir, `v${version}.duckdb`);
      await oldDatabase(path, version, traceId);
      const cli = await startCli(['--port', '0', '--host', '127.0.0.1', '--db', path, '--sql-max-rows', '100000']);
      try {
        const attributes = await api(cli.url, '/api/attributes');
        expect(attributes.status, JSON.stringify(attributes.body)).toBe(200);
        const [span] = await runSql<Record<string, string>>(cli.url,
          `SELECT attributes::VARCHAR AS a, resource_attributes::VARCHAR AS r, events::VARCHAR AS e FROM spans WHERE trace_id = '${traceId}' AND span_id = 'aaaaaaaaaaaaaaaa'`);
        const a = JSON.parse(span.a);
        expect(a['k\ufffd']).toBe('v\ufffd\ufffd');
        expect(a.pair).toBe(`${HALF}${LOW}`); // a pair is a character, not broken
        expect(a.slash).toBe('\\ud83d');
        expect(a.low).toBe('\ufffd');
        expect(a.big).toBe(`${'y'.repeat(3790)}\ufffd`);
        expect(JSON.parse(span.e)[0].name).toBe('\ufffd');
        expect(JSON.parse(span.r)['k\ufffd']).toBeDefined();
        const running = await runSql<{ a: string }>(cli.url, `SELECT attributes::VARCHAR AS a FROM spans WHERE trace_id = '${traceId}' AND span_id = 'bbbbbbbbbbbbbbbb'`);
        expect(JSON.parse(running[0].a).low).toBe('\ufffd');
        const [line] = await runSql<{ a: string }>(cli.url, `SELECT attributes::VARCHAR AS a FROM logs WHERE trace_id = '${traceId}'`);
        expect(JSON.parse(line.a).low).toBe('\ufffd');
        const trace = await api(cli.url, `/api/executions/${traceId}`);
        expect(trace.status, JSON.stringify(trace.body).slice(0, 300)).toBe(200);
        expect((await api(cli.url, '/api/executions')).status).toBe(200);
      } finally {
        await cli.stop();
      }
    }, 60_000);
  }
});
