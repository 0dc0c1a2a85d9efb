/**
 * The error texts of a trace (schema/tables/error_texts.sql): what a user sees as the error of a
 * run and types into the search box to find it again — the status message of each failed span
 * (status code 2), the message of each exception event of any span, and each error-level console
 * line (severity ERROR or FATAL). One small row per text, written with its span or line at commit,
 * so the execution list finds a run by its error without reading span rows and their payloads
 * (storage/executions/executions.ts).
 *
 * Invariants: a row's text is a text the list's span and line search finds as well (status and
 * exception messages, console lines; an exception message is unescaped here, while the span
 * search reads it inside the events' JSON), so the rows only accelerate the search and never
 * decide a page alone. A span's or line's rows are derived from it alone, so a retried span or line
 * (stored once) adds none, and schema/migrations/018_error_texts.sql derives the same rows from
 * stored spans and lines (test/storage/error-texts.test.ts holds them equal). Engine-neutral.
 */
import type { IngestLog, IngestSpan } from './span.js';

/** An error_texts row: trace id, span id ('' for a line without one), when (span end, line time), text. */
export type ErrorTextRow = [traceId: string, spanId: string, timeNs: bigint, text: string];

/** OTLP SeverityNumber ERROR (17) and above (ERROR2 … FATAL4): a console line of an error. */
export const ERROR_SEVERITY = 17;

/**
 * Characters of a text kept at most: what a user copies from an error is its start, and a stack
 * trace printed as one line must not make the table large. A search for text past the cut is
 * still answered by the span and line search.
 */
export const MAX_ERROR_TEXT_CHARS = 2_000;

/** The first MAX_ERROR_TEXT_CHARS code points (as DuckDB's left() counts them). */
function cut(text: string): string {
  if (text.length <= MAX_ERROR_TEXT_CHARS) return text;
  return Array.from(text).slice(0, MAX_ERROR_TEXT_CHARS).join('');
}

/**
 * The exception.message of each exception event in a span's events JSON, as text (the JSON
 * array text ingest renders, span.ts; only spans whose events name an exception are parsed).
 */
function exceptionMessages(events: string): string[] {
  if (!events.includes('"exception"')) return [];
  const out: string[] = [];
  for (const event of JSON.parse(events) as Array<{ name?: unknown; attributes?: Record<string, unknown> }>) {
    const message = event.name === 'exception' ? event.attributes?.['exception.message'] : undefined;
    if (message === undefined || message === null) continue;
    out.push(typeof message === 'string' ? message : JSON.stringify(message));
  }
  return out;
}

/** The error texts of finished spans: each span's distinct status and exception messages. */
export function errorTextsOfSpans(spans: IngestSpan[]): ErrorTextRow[] {
  const rows: ErrorTextRow[] = [];
  for (const s of spans) {
    const texts = exceptionMessages(s.events);
    if (s.statusCode === 2 && s.statusMessage !== null) texts.unshift(s.statusMessage);
    if (texts.length === 0) continue;
    const time = s.endTimeUnixNano ?? s.startTimeUnixNano;
    for (const text of new Set(texts.filter((t) => t !== '').map(cut))) rows.push([s.traceId, s.spanId, time, text]);
  }
  return rows;
}

/** The error texts of log lines: error-level lines of a trace, each (span, time, text) once. */
export function errorTextsOfLogs(logs: IngestLog[]): ErrorTextRow[] {
  const rows: ErrorTextRow[] = [];
  const seen = new Set<string>();
  for (const l of logs) {
    if (l.severityNumber < ERROR_SEVERITY || l.traceId === '' || l.body === '') continue;
    const text = cut(l.body);
    const key = `${l.traceId}|${l.spanId}|${l.timeUnixNano}|${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([l.traceId, l.spanId, l.timeUnixNano, text]);
  }
  return rows;
}
