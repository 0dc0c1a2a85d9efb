/**
 * What of a captured input cannot be replayed as it is: values the instrumentation redacted
 * (they hold REDACTED_VALUE) and values cut at the payload cap (the captured text ends with
 * TRUNCATION_MARKER and is then not JSON; a nesting cut writes "[Max depth]"). The replay route
 * refuses an input with any of them, so a secret is never replayed as "[REDACTED]"; the viewer
 * shows the same list as marks in its replay dialog.
 */
import { REDACTED_VALUE, TRUNCATION_MARKER } from '@flowtrace/instrumentation/conventions';

/** A value that must be given before a replay runs; `path` is '' for the whole input. */
export interface IncompleteField {
  path: string;
  reason: 'redacted' | 'truncated';
}

/** What the serializer writes in place of nesting deeper than its limit. */
const MAX_DEPTH = '[Max depth]';
/** More than this many marks are not listed one by one (the first ones say enough). */
const MAX_LISTED = 50;

/** The captured input text read as a value, with what is missing from it. */
export function readCapturedInput(text: string | undefined): { value?: unknown; incomplete: IncompleteField[] } {
  if (text === undefined) return { incomplete: [] };
  if (text.endsWith(TRUNCATION_MARKER)) return { incomplete: [{ path: '', reason: 'truncated' }] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { incomplete: [{ path: '', reason: 'truncated' }] };
  }
  return { value, incomplete: incompleteFields(value) };
}

/** Every redacted or cut value in an input, depth first. */
export function incompleteFields(value: unknown): IncompleteField[] {
  const out: IncompleteField[] = [];
  walk(value, '', out);
  return out;
}

function walk(value: unknown, path: string, out: IncompleteField[]): void {
  if (out.length >= MAX_LISTED) return;
  if (typeof value === 'string') {
    if (value.includes(REDACTED_VALUE)) out.push({ path, reason: 'redacted' });
    else if (value.endsWith(TRUNCATION_MARKER) || value === MAX_DEPTH) out.push({ path, reason: 'truncated' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const plain = /^[A-Za-z_$][\w$]*$/.test(key);
      walk(item, plain ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`, out);
    }
  }
}

/** The marks as one line for an error message. */
export function describeIncomplete(fields: IncompleteField[]): string {
  return fields.map((f) => `${f.path === '' ? 'the whole input' : f.path} (${f.reason})`).join(', ');
}
