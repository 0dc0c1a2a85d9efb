/**
 * Zipkin v2 JSON (the body of POST /api/v2/spans: a list of spans) → the decoded OTLP request
 * shape both OTLP decoders produce (otlp/shapes.ts), so that Zipkin spans go through the one converter, its
 * caps and its checks (convert-spans.ts) and are stored exactly as OTLP spans are. Pure.
 *
 * Mapping (as the OpenTelemetry Collector's Zipkin receiver does): 64-bit trace ids are left-padded
 * to 128 bits; kind CLIENT/SERVER/PRODUCER/CONSUMER, none = internal; timestamp and duration are
 * microseconds; localEndpoint.serviceName is the resource's service.name; endpoints' addresses
 * and ports and remoteEndpoint.serviceName become network.* / peer.service attributes; tags are
 * string attributes, but `error` (its value the message), `otel.status_code` and
 * `otel.status_description` become the status, and `otel.scope.*` the scope; annotations are
 * events. The server half of a shared span (`shared: true`, same id as its client half) gets an
 * id derived from the shared one and the client half as parent, so both halves are kept (as
 * Jaeger does); derived, not random, so a retried body is stored once.
 */
import { createHash } from 'node:crypto';
import { ATTR_NODE_INDEX, ATTR_SERVICE_NAME } from '@flowtrace/instrumentation/conventions';
import { MAX_ERRORS, type ConvertResult } from './convert-common.js';
import type { IngestCaps } from './ingest-caps.js';
import type { KeyValue, ResourceSpans, Span, SpanEvent, TraceRequest } from '../otlp/shapes.js';
import { convertTraceRequest } from './convert-spans.js';

/** The request, and for each span of it (resource, index) the position in the Zipkin list. */
export interface ZipkinConversion {
  request: TraceRequest;
  /** positions[r][i]: the list index of resourceSpans[r].scopeSpans[0].spans[i]. */
  positions: number[][];
}

const KINDS: Readonly<Record<string, number>> = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const HEX16 = /^[0-9a-fA-F]{16}$/;
const HEX32 = /^[0-9a-fA-F]{32}$/;
/** Tags that say the status or the scope: taken out of the attributes. */
const STATUS_TAGS = new Set(['error', 'otel.status_code', 'otel.status_description']);
const SCOPE_TAGS = new Set(['otel.scope.name', 'otel.scope.version', 'otel.library.name', 'otel.library.version']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: value } });

/** The span id of the server half of a shared span: 8 bytes of a hash of trace and shared id. */
export function sharedServerSpanId(traceId: string, spanId: string): string {
  const hex = createHash('sha256').update(`${traceId}:${spanId}:zipkin-shared`).digest('hex').slice(0, 16);
  return /^0+$/.test(hex) ? '0000000000000001' : hex;
}

/** A Zipkin list of spans as an OTLP request; a list of problems (the body is refused) otherwise. */
export function zipkinToTraceRequest(body: unknown): ZipkinConversion | { problems: string[] } {
  if (!Array.isArray(body)) return { problems: ['expected a JSON array of spans'] };
  const problems: string[] = [];
  const groups = new Map<string, { rs: ResourceSpans; spans: Span[]; positions: number[] }>();
  for (let k = 0; k < body.length; k++) {
    const converted = convertOne(body[k], `spans[${k}]`);
    if (typeof converted === 'string') {
      if (problems.length < MAX_ERRORS) problems.push(converted);
      continue;
    }
    const { span, serviceName, scopeName, scopeVersion } = converted;
    const key = JSON.stringify([serviceName, scopeName, scopeVersion]);
    let group = groups.get(key);
    if (!group) {
      const spans: Span[] = [];
      group = {
        rs: {
          resource: { attributes: serviceName === null ? [] : [text(ATTR_SERVICE_NAME, serviceName)] },
          scopeSpans: [{ scope: { name: scopeName, version: scopeVersion }, spans }],
        },
        spans,
        positions: [],
      };
      groups.set(key, group);
    }
    group.spans.push(span);
    group.positions.push(k);
  }
  if (problems.length > 0) return { problems };
  const all = [...groups.values()];
  return { request: { resourceSpans: all.map((g) => g.rs) }, positions: all.map((g) => g.positions) };
}

interface OneSpan {
  span: Span;
  serviceName: string | null;
  scopeName: string | null;
  scopeVersion: string | null;
}

function convertOne(value: unknown, at: string): OneSpan | string {
  if (!isObj(value)) return `${at} must be an object`;
  const z = value;
  if (typeof z.traceId !== 'string' || !(HEX16.test(z.traceId) || HEX32.test(z.traceId))) return `${at}.traceId must be 16 or 32 hex characters`;
  if (typeof z.id !== 'string' || !HEX16.test(z.id)) return `${at}.id must be 16 hex characters`;
  if (z.parentId != null && (typeof z.parentId !== 'string' || !HEX16.test(z.parentId))) return `${at}.parentId must be 16 hex characters`;
  const traceId = z.traceId.toLowerCase().padStart(32, '0');
  let spanId = z.id.toLowerCase();
  let parentSpanId = typeof z.parentId === 'string' ? z.parentId.toLowerCase() : null;
  if (z.name != null && typeof z.name !== 'string') return `${at}.name must be a string`;
  let kind = 1;
  if (z.kind != null) {
    if (typeof z.kind !== 'string' || !Object.hasOwn(KINDS, z.kind)) return `${at}.kind must be CLIENT, SERVER, PRODUCER or CONSUMER`;
    kind = KINDS[z.kind];
  }
  const start = micros(z.timestamp);
  if (start === null) return `${at}.timestamp must be microseconds since the epoch`;
  const duration = z.duration == null ? 0n : micros(z.duration, true);
  if (duration === null) return `${at}.duration must be microseconds`;
  if (z.shared === true) {
    // The server half of a span shared with its client: kept as the client half's child.
    parentSpanId = spanId;
    spanId = sharedServerSpanId(traceId, spanId);
  }

  const attributes: KeyValue[] = [];
  const local = endpoint(z.localEndpoint, `${at}.localEndpoint`);
  if (typeof local === 'string') return local;
  const remote = endpoint(z.remoteEndpoint, `${at}.remoteEndpoint`);
  if (typeof remote === 'string') return remote;
  if (local.address !== null) attributes.push(text('network.local.address', local.address));
  if (local.port !== null) attributes.push(int('network.local.port', local.port));
  if (remote.serviceName !== null) attributes.push(text('peer.service', remote.serviceName));
  if (remote.address !== null) attributes.push(text('network.peer.address', remote.address));
  if (remote.port !== null) attributes.push(int('network.peer.port', remote.port));

  const tags: Obj = z.tags == null ? {} : isObj(z.tags) ? z.tags : {};
  if (z.tags != null && !isObj(z.tags)) return `${at}.tags must be an object of strings`;
  for (const [key, tag] of Object.entries(tags)) {
    if (typeof tag !== 'string') return `${at}.tags["${key.slice(0, 60)}"] must be a string`;
    if (STATUS_TAGS.has(key) || SCOPE_TAGS.has(key)) continue;
    // Zipkin tags are text; the node index has an integer column, so it is read as one.
    attributes.push(key === ATTR_NODE_INDEX && /^-?\d{1,9}$/.test(tag) ? int(key, Number(tag)) : text(key, tag));
  }
  const events = annotations(z.annotations, `${at}.annotations`);
  if (typeof events === 'string') return events;

  const str = (key: string): string | null => (typeof tags[key] === 'string' && tags[key] !== '' ? (tags[key] as string) : null);
  const errorTag = typeof tags.error === 'string' ? tags.error : null;
  const failed = errorTag !== null || str('otel.status_code') === 'ERROR';
  const message = (errorTag !== null && errorTag !== '' && errorTag !== 'true' ? errorTag : null) ?? str('otel.status_description');
  const span: Span = {
    traceId,
    spanId,
    parentSpanId,
    name: typeof z.name === 'string' ? z.name : '',
    kind,
    startTimeUnixNano: start * 1000n,
    endTimeUnixNano: (start + duration) * 1000n,
    attributes,
    events,
    status: { code: failed ? 2 : str('otel.status_code') === 'OK' ? 1 : 0, message: failed ? message : null },
    flags: 0,
  };
  return {
    span,
    serviceName: local.serviceName,
    scopeName: str('otel.scope.name') ?? str('otel.library.name'),
    scopeVersion: str('otel.scope.version') ?? str('otel.library.version'),
  };
}

/** A whole number of microseconds (≥ 1, or ≥ 0 for a duration) as bigint; null otherwise. */
function micros(v: unknown, zeroAllowed = false): bigint | null {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < (zeroAllowed ? 0 : 1) || v > Number.MAX_SAFE_INTEGER) return null;
  return BigInt(Math.round(v));
}

interface Endpoint { serviceName: string | null; address: string | null; port: number | null }

function endpoint(v: unknown, at: string): Endpoint | string {
  const none: Endpoint = { serviceName: null, address: null, port: null };
  if (v == null) return none;
  if (!isObj(v)) return `${at} must be an object`;
  const serviceName = typeof v.serviceName === 'string' && v.serviceName !== '' ? v.serviceName : null;
  const ip = typeof v.ipv4 === 'string' && v.ipv4 !== '' ? v.ipv4 : typeof v.ipv6 === 'string' && v.ipv6 !== '' ? v.ipv6 : null;
  if (v.port != null && (typeof v.port !== 'number' || !Number.isInteger(v.port) || v.port < 0 || v.port > 65535)) {
    return `${at}.port must be a port number`;
  }
  return { serviceName, address: ip, port: typeof v.port === 'number' && v.port > 0 ? v.port : null };
}

function annotations(v: unknown, at: string): SpanEvent[] | string {
  if (v == null) return [];
  if (!Array.isArray(v)) return `${at} must be an array`;
  const out: SpanEvent[] = [];
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    const time = isObj(a) ? micros(a.timestamp) : null;
    if (!isObj(a) || time === null || typeof a.value !== 'string') return `${at}[${i}] must have a timestamp (microseconds) and a value`;
    out.push({ timeUnixNano: time * 1000n, name: a.value, attributes: [] });
  }
  return out;
}

/**
 * A Zipkin body (JSON text, decompressed) → a batch, all or nothing: Zipkin has no partial success,
 * so any span that Zipkin's rules or the converter's checks refuse refuses the body (problems).
 */
export function ingestZipkin(body: Uint8Array, caps?: Partial<IngestCaps>): ConvertResult | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    return { problems: [`not JSON: ${(error as Error).message.slice(0, 200)}`] };
  }
  const converted = zipkinToTraceRequest(json);
  if ('problems' in converted) return converted;
  const result = convertTraceRequest(converted.request, caps);
  if (result.rejectedSpans === 0) return result;
  // The converter names spans by their place in the OTLP request: name them by the list's.
  return {
    problems: result.errors.map((e) => e.replace(/^resourceSpans\[(\d+)\]\.scopeSpans\[0\]\.spans\[(\d+)\]/, (_, r, i) => `spans[${converted.positions[Number(r)][Number(i)]}]`)),
  };
}
