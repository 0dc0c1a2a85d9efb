/** Zipkin v2 JSON → logical spans through the OTLP converter: each field the mapping names. */
import { describe, expect, it } from 'vitest';
import { ingestZipkin, sharedServerSpanId } from '../../src/ingest/zipkin-to-otlp.js';
import type { IngestSpan } from '../../src/storage/index.js';
import { spanAttributes } from '../fixtures/otlp.js';

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const TRACE = '463ac35c9f6413ad48485a3953bb6124';
const ID = 'a2fb4a1d1a96d312';

function rows(spans: unknown[]): IngestSpan[] {
  const result = ingestZipkin(bytes(spans));
  if ('problems' in result) throw new Error(result.problems.join('; '));
  return result.batch.spans;
}

function problems(body: unknown): string[] {
  const result = ingestZipkin(bytes(body));
  return 'problems' in result ? result.problems : [];
}

describe('Zipkin v2 JSON to logical spans', () => {
  it('maps ids, kind, times, service, endpoints, tags, status, scope and annotations', () => {
    const [row] = rows([{
      traceId: TRACE.slice(16).toUpperCase(), id: ID, parentId: '0020000000000001', name: 'get /api', kind: 'CONSUMER',
      timestamp: 1_700_000_000_000_001, duration: 250,
      localEndpoint: { serviceName: 'backend', ipv6: '2001:db8::c001', port: 8080 },
      remoteEndpoint: { serviceName: 'queue', ipv4: '192.168.99.101', port: 9000 },
      tags: {
        'http.path': '/api', 'flow.name': 'ingest', 'flow.node.index': '3', 'otel.status_code': 'OK',
        'otel.scope.name': 'my-lib', 'otel.scope.version': '1.0',
      },
      annotations: [{ timestamp: 1_700_000_000_000_100, value: 'wr' }],
    }]);
    expect(row).toMatchObject({
      traceId: '0000000000000000' + TRACE.slice(16), spanId: ID, parentSpanId: '0020000000000001', name: 'get /api', kind: 5,
      startTimeUnixNano: 1_700_000_000_000_001_000n, endTimeUnixNano: 1_700_000_000_000_251_000n,
      serviceName: 'backend', statusCode: 1, statusMessage: null, scopeName: 'my-lib', scopeVersion: '1.0',
      flowName: 'ingest', nodeIndex: 3,
    });
    const attributes = spanAttributes(row);
    expect(attributes).toMatchObject({
      'http.path': '/api', 'network.local.address': '2001:db8::c001', 'network.local.port': 8080,
      'peer.service': 'queue', 'network.peer.address': '192.168.99.101', 'network.peer.port': 9000,
    });
    expect(Object.keys(attributes)).not.toContain('otel.status_code');
    expect(Object.keys(attributes)).not.toContain('otel.scope.name');
    expect(JSON.parse(row.resourceAttributes)).toEqual({ 'service.name': 'backend' });
    expect(JSON.parse(row.events)).toMatchObject([{ name: 'wr', timeUnixNano: '1700000000000100000' }]);
  });

  it('reads the error tag as an error status with its message, and a span without kind as internal', () => {
    const [failed, bare, flagged] = rows([
      { traceId: TRACE, id: ID, name: 'a', timestamp: 1, tags: { error: 'connection refused' } },
      { traceId: TRACE, id: '0000000000000002', timestamp: 1 },
      { traceId: TRACE, id: '0000000000000003', timestamp: 1, tags: { error: '', 'otel.status_code': 'ERROR', 'otel.status_description': 'bad' } },
    ]);
    expect(failed).toMatchObject({ statusCode: 2, statusMessage: 'connection refused', kind: 1 });
    expect(spanAttributes(failed)).toEqual({});
    expect(bare).toMatchObject({ statusCode: 0, name: '', kind: 1, serviceName: 'unknown_service', endTimeUnixNano: 1000n });
    expect(flagged).toMatchObject({ statusCode: 2, statusMessage: 'bad' });
  });

  it('gives the server half of a shared span a derived id under its client half', () => {
    const [client, server] = rows([
      { traceId: TRACE, id: ID, kind: 'CLIENT', timestamp: 1 },
      { traceId: TRACE, id: ID, kind: 'SERVER', shared: true, timestamp: 2 },
    ]);
    expect(client).toMatchObject({ spanId: ID, kind: 3 });
    expect(server).toMatchObject({ spanId: sharedServerSpanId(TRACE, ID), parentSpanId: ID, kind: 2 });
    expect(sharedServerSpanId(TRACE, ID)).toBe(sharedServerSpanId(TRACE, ID));
  });

  it('refuses the whole body, naming each bad span by its place in the list', () => {
    expect(problems('[{')[0]).toMatch(/^not JSON/);
    expect(problems({ spans: [] })).toEqual(['expected a JSON array of spans']);
    expect(problems([{ traceId: TRACE, id: ID, timestamp: 1 }, { traceId: TRACE, id: ID, timestamp: 1, duration: -1 }]))
      .toEqual(['spans[1].duration must be microseconds']);
    expect(problems([{ traceId: TRACE, id: ID, timestamp: 1, annotations: [{ value: 'x' }] }])[0]).toMatch(/annotations\[0\]/);
    // Refused by the OTLP converter's own checks (an all-zero id), still named by the list.
    expect(problems([{ traceId: TRACE, id: ID, timestamp: 1 }, { traceId: TRACE, id: '0000000000000000', timestamp: 1 }]))
      .toEqual(['spans[1]: spanId is all zeros']);
    expect(ingestZipkin(bytes([]))).toMatchObject({ batch: { spans: [] } });
  });
});
