/**
 * The replay dialog's rules for the text being edited. A value still holding a marker the
 * instrumentation writes for what it could not capture whole — a redacted secret
 * ("[REDACTED]"), a value cut at its size cap ("…[truncated]") or below the depth limit
 * ("[Max depth]") — is incomplete: it must be re-entered, or the user confirms running with it
 * left empty (null). It is never sent as the marker (the collector refuses such an input too).
 * Paths are written as the collector writes them (GET …/replay-input): `card.number`,
 * `items[0].sku`, `["odd key"]`, '' for the whole input.
 */
import { MAX_DEPTH_VALUE, REDACTED_VALUE, TRUNCATION_MARKER } from '@flowtrace/instrumentation/conventions';

export type IncompleteReason = 'redacted' | 'truncated';

/** A value that must be re-entered before the input runs as it is. */
export interface IncompleteValue {
  path: string;
  reason: IncompleteReason;
}

export type EditedInput =
  | { ok: true; value: unknown; incomplete: IncompleteValue[] }
  | { ok: false; reason: string };

/** Why a string value is incomplete, or undefined when it is whole. */
export function incompleteReason(value: string): IncompleteReason | undefined {
  if (value.includes(REDACTED_VALUE)) return 'redacted';
  if (value.endsWith(TRUNCATION_MARKER) || value === MAX_DEPTH_VALUE) return 'truncated';
  return undefined;
}

/** A path with one more step: a key (as `.key`, or `["key"]` when it is not a plain name) or an index. */
export function childPath(path: string, step: string | number): string {
  if (typeof step === 'number') return `${path}[${step}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(step)) return path === '' ? step : `${path}.${step}`;
  return `${path}[${JSON.stringify(step)}]`;
}

/** Reads the edited text: the value and what is still incomplete in it, or why it is not JSON. */
export function readEditedInput(text: string): EditedInput {
  if (text.trim() === '') return { ok: true, value: null, incomplete: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const cut = text.trimEnd().endsWith(TRUNCATION_MARKER);
    return { ok: false, reason: cut ? 'the input was cut at its size cap: complete it and remove the …[truncated] mark' : `not JSON: ${(error as Error).message}` };
  }
  const incomplete: IncompleteValue[] = [];
  visit(value, '', (v, path) => {
    const reason = incompleteReason(v);
    if (reason) incomplete.push({ path, reason });
  });
  return { ok: true, value, incomplete };
}

/** A copy of the value with every incomplete value replaced by null (what "run with them empty" sends). */
export function withIncompleteEmptied(value: unknown): unknown {
  if (typeof value === 'string') return incompleteReason(value) ? null : value;
  if (Array.isArray(value)) return value.map(withIncompleteEmptied);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withIncompleteEmptied(v)]));
  }
  return value;
}

/** The incomplete values as a short list for a sentence: `card.number, card.cvv`. */
export function describePaths(values: IncompleteValue[]): string {
  return values.map((v) => (v.path === '' ? 'the whole input' : v.path)).join(', ');
}

function visit(value: unknown, path: string, onString: (value: string, path: string) => void): void {
  if (typeof value === 'string') onString(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => visit(item, childPath(path, i), onString));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) visit(item, childPath(path, key), onString);
  }
}

/** The captured text indented for editing (as is when it is not JSON). */
export function editableText(text: string | null): string {
  if (text === null) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
