/**
 * The control connection: one outbound HTTP request the service keeps open to the collector
 * (no port is opened in the service), on the same base URL as OTLP/HTTP and with the same
 * headers (the ingest token). Protocol:
 *
 * - `POST /v1/control/connect` with `{ service, instanceId, flows }` answers a Server-Sent
 *   Events stream: `event: request` with `{ id, action: 'cancel' | 'replay', traceId, flowId,
 *   requestedBy, input?, origin? }`, and `: ping` comments to keep it alive.
 * - `POST /v1/control/report` with `{ instanceId, flows?, replies?: [{ id, outcome, message?,
 *   traceId? }] }` answers requests and announces flows defined after connecting.
 *
 * Invariants: it never throws into the service and never keeps the process alive (sockets and
 * timers are unref'd); a refused or dropped connection is retried with exponential backoff
 * (0.5 s doubling to 30 s, with jitter; 60 s while the collector refuses control); requests
 * go through the registry, so only announced flows are acted on. Its HTTP calls run with
 * tracing suppressed, so HTTP instrumentations do not trace them.
 */
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import http from 'node:http';
import https from 'node:https';
import { internalError } from '../runtime.js';
import { announcedFlows, cancelRun, replayFlow, setControlActive, type ControlAnswer } from './registry.js';

/** What the client needs to dial out. */
export interface ControlClientOptions {
  /** Base URL of the collector's OTLP/HTTP endpoint (without /v1/…). */
  baseUrl: string;
  headers: Record<string, string>;
  serviceName: string;
  instanceId: string;
}

/** Counters of the control connection (TracingHandle.stats().control). */
export interface ControlStats {
  state: 'connecting' | 'connected' | 'waiting' | 'stopped';
  /** Connections opened (the first and each reconnect). */
  connects: number;
  /** Attempts that failed or were refused, and connections that dropped. */
  failures: number;
  /** Requests received and answered. */
  requests: number;
}

interface ControlRequest {
  id: string;
  action: 'cancel' | 'replay';
  traceId: string;
  flowId: string;
  requestedBy: string;
  input?: unknown;
  origin?: { traceId: string; spanId: string };
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** Wait after a collector refused control (401/403/404): it will not change its mind soon. */
const REFUSED_DELAY_MS = 60_000;
/** No byte (the collector pings every 15 s) for this long: the connection is taken as dead. */
const SILENCE_MS = 45_000;

export class ControlClient {
  readonly stats: ControlStats = { state: 'waiting', connects: 0, failures: 0, requests: 0 };
  private request: http.ClientRequest | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private announceDue = false;

  constructor(private readonly options: ControlClientOptions) {}

  /** Starts dialling (on the next tick, so flows defined right after setup are in the first announcement). */
  start(): void {
    setControlActive(true, () => this.announceLater());
    this.schedule(0);
  }

  /** Closes the connection for good. */
  stop(): void {
    this.stats.state = 'stopped';
    setControlActive(false);
    if (this.timer) clearTimeout(this.timer);
    this.request?.destroy();
    this.request = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stats.state === 'stopped') return;
    this.stats.state = 'waiting';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delayMs);
    this.timer.unref?.();
  }

  private retry(refused: boolean): void {
    if (this.stats.state === 'stopped') return;
    this.stats.failures++;
    const backoff = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt++);
    this.schedule(refused ? REFUSED_DELAY_MS : backoff / 2 + Math.random() * (backoff / 2));
  }

  private connect(): void {
    if (this.stats.state === 'stopped') return;
    this.stats.state = 'connecting';
    const body = JSON.stringify({ service: this.options.serviceName, instanceId: this.options.instanceId, flows: announcedFlows() });
    let settled = false;
    const fail = (refused: boolean): void => {
      if (settled) return;
      settled = true;
      this.request = undefined;
      this.retry(refused);
    };
    try {
      const req = this.send('/v1/control/connect', body, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return fail([401, 403, 404].includes(res.statusCode ?? 0));
        }
        this.stats.connects++;
        this.stats.state = 'connected';
        this.attempt = 0;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.onEvent(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        res.on('end', () => fail(false));
        res.on('error', () => fail(false));
        res.on('close', () => fail(false));
        if (this.announceDue) this.announceLater();
      });
      req.setTimeout(SILENCE_MS, () => req.destroy(new Error('control connection silent')));
      req.on('error', () => fail(false));
      this.request = req;
    } catch (e) {
      internalError('control connect', e);
      fail(false);
    }
  }

  private onEvent(block: string): void {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trimStart();
    }
    if (event !== 'request' || data === '') return;
    try {
      const request = JSON.parse(data) as ControlRequest;
      this.stats.requests++;
      const answer = this.act(request);
      this.report({ replies: [{ id: request.id, ...answer }] });
    } catch (e) {
      internalError('control request', e);
    }
  }

  private act(request: ControlRequest): ControlAnswer {
    if (request.action === 'cancel') return cancelRun(request.traceId, request.flowId, request.requestedBy);
    if (request.action === 'replay' && request.origin) {
      return replayFlow(request.flowId, request.input, { ...request.origin, requestedBy: request.requestedBy });
    }
    return { outcome: 'not_allowed', message: `unknown action ${String(request.action)}` };
  }

  /** Sends the announcement again soon (a flow was defined after connecting). */
  private announceLater(): void {
    if (this.stats.state !== 'connected') {
      this.announceDue = true;
      return;
    }
    this.announceDue = false;
    queueMicrotask(() => this.report({ flows: announcedFlows() }));
  }

  private report(message: { flows?: unknown; replies?: unknown[] }): void {
    try {
      const req = this.send('/v1/control/report', JSON.stringify({ instanceId: this.options.instanceId, ...message }), (res) => {
        res.resume();
        // The collector does not know this instance (it restarted): connect again.
        if (res.statusCode === 404 && this.stats.state === 'connected') this.request?.destroy();
      });
      req.setTimeout(10_000, () => req.destroy());
      req.on('error', () => undefined); // a lost reply is answered by the collector as "no answer"
    } catch (e) {
      internalError('control report', e);
    }
  }

  private send(path: string, body: string, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, '') + path);
    const client = url.protocol === 'https:' ? https : http;
    return context.with(suppressTracing(context.active()), () => {
      const req = client.request(url, {
        method: 'POST',
        agent: false,
        headers: { ...this.options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, onResponse);
      req.on('socket', (socket) => socket.unref());
      req.end(body);
      return req;
    });
  }
}
