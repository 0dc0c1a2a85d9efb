/**
 * The replay dialog's rule for the text being edited: it runs only as JSON with no value still
 * redacted or cut (the markers the instrumentation writes). Which fields those are in the
 * captured input is the collector's to say (GET …/replay-input); the collector also refuses
 * such an input, so this check only keeps the Run button honest while typing.
 */
import { REDACTED_VALUE, TRUNCATION_MARKER } from '@flowtrace/instrumentation/conventions';

/** What the serializer writes for nesting deeper than its limit. */
const MAX_DEPTH = '[Max depth]';

export type EditedInput =
  | { ok: true; value: unknown }
  | { ok: false; reason: string };

/** Reads the edited text: the value to run with, or why it cannot run yet. */
export function readEditedInput(text: string): EditedInput {
  const left = count(text, REDACTED_VALUE) + count(text, MAX_DEPTH);
  if (text.includes(TRUNCATION_MARKER)) return { ok: false, reason: 'the input was cut at its size cap: complete it and remove the …[truncated] mark' };
  if (left > 0) return { ok: false, reason: `${left} redacted or cut value${left === 1 ? '' : 's'} still to fill in` };
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
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
