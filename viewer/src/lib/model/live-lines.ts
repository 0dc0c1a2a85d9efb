/**
 * Console lines that arrive live (the `log` events of a stream watching one trace) merged into
 * a span's details as fetched: a line the details already hold is not repeated (a live body is
 * cut, so it matches a fetched line at the same time that starts with it), the rest is
 * appended, all in time order. Pure; lib/state/live-lines.svelte.ts collects the lines.
 */
import type { LiveEvent } from '@flowtrace/collector/api';
import { nsToMs } from './time.js';
import type { ConsoleLine, SpanDetailsModel } from './types.js';

/** Lines kept per trace at most (a chatty node must not grow the tab without bound). */
export const MAX_LIVE_LINES = 2000;

/** The console line a `log` event carries, or null for another event. */
export function liveLine(event: LiveEvent): ConsoleLine | null {
  if (event.type !== 'log' || !event.log) return null;
  const l = event.log;
  return {
    spanId: event.spanId,
    timeMs: nsToMs(l.timeUnixNano),
    severity: l.severity,
    severityNumber: l.severityNumber,
    body: l.truncated ? `${l.body}…` : l.body,
    attributes: {},
  };
}

function sameLine(fetched: ConsoleLine, live: ConsoleLine): boolean {
  if (fetched.timeMs !== live.timeMs) return false;
  const body = live.body.endsWith('…') ? live.body.slice(0, -1) : live.body;
  return fetched.body.startsWith(body);
}

/** The details with the span's live lines they lack appended (the same object when none are new). */
export function withLiveLines(details: SpanDetailsModel | null, lines: readonly ConsoleLine[]): SpanDetailsModel | null {
  if (!details || lines.length === 0) return details;
  const mine = lines.filter((l) => l.spanId === details.spanId && !details.logs.some((f) => sameLine(f, l)));
  if (mine.length === 0) return details;
  return { ...details, logs: [...details.logs, ...mine].sort((a, b) => a.timeMs - b.timeMs) };
}
