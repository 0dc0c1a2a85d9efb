/**
 * Control of runs from the viewer: which instances are connected (refreshed while a page shows
 * control buttons), the control token (asked for at the first action, kept for the tab like
 * the query token, and never sent with the query token's requests), and the stages a cancel or
 * a replay goes through, shown as they happen: requested → delivered and carried out, or why not.
 */
import type { ApiError, ControlFlow } from '@flowtrace/collector/api';
import { ApiClient, ApiRequestError } from '../api/client.js';
import { cancelExecution, getControlStatus, replayExecution, type ControlStatus } from '../api/control-endpoints.js';
import { api } from './auth.svelte.js';

const KEY = 'flowtrace.control-token';
const REFRESH_MS = 5_000;
/** Who the viewer says is asking (recorded in control_log and in the run's cancel reason). */
export const REQUESTED_BY = 'viewer';

/** Where one request is. */
export type ControlStage =
  | { step: 'idle' }
  | { step: 'token' }
  | { step: 'requested' }
  | { step: 'done'; outcome: string; message: string; instanceId: string | null; newTraceId?: string }
  | { step: 'refused'; code: string; message: string };

class Control {
  status = $state<ControlStatus | null>(null);
  token = $state<string | null>(sessionStorage.getItem(KEY));
  private users = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  readonly client = new ApiClient({ getToken: () => this.token });

  /** Keeps the status fresh while something shows it; returns the release. */
  watch(): () => void {
    if (this.users++ === 0) {
      void this.refresh();
      this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    }
    return () => {
      if (--this.users === 0) clearInterval(this.timer);
    };
  }

  async refresh(): Promise<void> {
    this.status = await getControlStatus(api).catch(() => null);
  }

  setToken(token: string): void {
    const t = token.trim();
    if (t) sessionStorage.setItem(KEY, t);
    else sessionStorage.removeItem(KEY);
    this.token = t || null;
  }

  /** The flow as a connected instance of the service announced it, if any does. */
  flowOf(serviceName: string, flowId: string | null): ControlFlow | undefined {
    if (!this.status?.enabled || flowId === null) return undefined;
    for (const i of this.status.instances) {
      if (i.service !== serviceName) continue;
      const flow = i.flows.find((f) => f.id === flowId);
      if (flow) return flow;
    }
    return undefined;
  }

  cancel(traceId: string): Promise<ControlStage> {
    return this.run(() => cancelExecution(this.client, traceId, REQUESTED_BY));
  }

  replay(traceId: string, input: unknown): Promise<ControlStage> {
    return this.run(() => replayExecution(this.client, traceId, input, REQUESTED_BY));
  }

  private async run(call: () => Promise<{ outcome: string; message: string; instanceId: string | null; newTraceId?: string }>): Promise<ControlStage> {
    try {
      const result = await call();
      return { step: 'done', outcome: result.outcome, message: result.message, instanceId: result.instanceId, newTraceId: result.newTraceId };
    } catch (error) {
      const e = error instanceof ApiRequestError ? error : new ApiRequestError({ code: 'FT_NETWORK', message: String(error), statusCode: 0 } as ApiError);
      // A refused token is forgotten, so the next attempt asks again.
      if (e.statusCode === 401) this.setToken('');
      return { step: 'refused', code: e.code, message: e.statusCode === 401 ? 'the control token was refused' : e.message };
    }
  }
}

export const control = new Control();
