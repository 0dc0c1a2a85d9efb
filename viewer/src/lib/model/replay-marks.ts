/**
 * Where the incomplete values are in the replay editor's text, so they are marked in place:
 * every string token whose value is incomplete (replay-input.ts), with its offsets, its line
 * and its path. The text is being edited, so it is often not JSON: the scan reads string
 * tokens and the structure around them as far as it makes sense, and a marker it finds outside
 * any readable string is still marked (path null). Also cuts the text into the lines of the
 * mirror drawn behind the editor, each a list of plain and marked pieces.
 */
import { MAX_DEPTH_VALUE, REDACTED_VALUE, TRUNCATION_MARKER } from '@flowtrace/instrumentation/conventions';
import { childPath, incompleteReason, type IncompleteReason } from './replay-input.js';

/** One incomplete value in the text: [start, end) offsets of its string token (quotes included). */
export interface TextMark {
  start: number;
  end: number;
  /** 0-based line of its start. */
  line: number;
  /** Its path in the input, or null when the text around it could not be read. */
  path: string | null;
  reason: IncompleteReason;
}

type Level = { kind: 'object'; key: string | null; wantKey: boolean } | { kind: 'array'; index: number };

/** The incomplete values of the edited text, in text order. */
export function placeholderMarks(text: string): TextMark[] {
  if (!text.includes(REDACTED_VALUE) && !text.includes(TRUNCATION_MARKER) && !text.includes(MAX_DEPTH_VALUE)) return [];
  const marks: TextMark[] = [];
  const stack: Level[] = [];
  let i = 0;
  let readable = true;
  while (i < text.length && readable) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) break; // an unterminated string: the rest is not readable
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.wantKey) top.key = decode(text.slice(i, end));
      else {
        const reason = incompleteReason(decode(text.slice(i, end)));
        if (reason) marks.push({ start: i, end, line: 0, path: pathOf(stack), reason });
      }
      i = end;
    } else if (c === '{') {
      stack.push({ kind: 'object', key: null, wantKey: true });
      i++;
    } else if (c === '[') {
      stack.push({ kind: 'array', index: 0 });
      i++;
    } else if (c === '}' || c === ']') {
      readable = stack.pop() !== undefined;
      i++;
    } else if (c === ':') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.wantKey = false;
      i++;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') {
        top.wantKey = true;
        top.key = null;
      } else if (top?.kind === 'array') top.index++;
      i++;
    } else i++;
  }
  // What the scan could not read (cut text, a stray quote) is still searched for the markers.
  const lastEnd = marks.length > 0 ? marks[marks.length - 1].end : 0;
  for (const [marker, reason] of [[REDACTED_VALUE, 'redacted'], [TRUNCATION_MARKER, 'truncated'], [MAX_DEPTH_VALUE, 'truncated']] as const) {
    for (let at = text.indexOf(marker, Math.max(i, lastEnd)); at >= 0; at = text.indexOf(marker, at + marker.length)) {
      marks.push({ start: at, end: at + marker.length, line: 0, path: null, reason });
    }
  }
  marks.sort((a, b) => a.start - b.start);
  let line = 0;
  let from = 0;
  for (const m of marks) {
    for (let k = text.indexOf('\n', from); k >= 0 && k < m.start; k = text.indexOf('\n', k + 1)) line++, (from = k + 1);
    m.line = line;
  }
  return marks;
}

/** Offset just past the closing quote of the string starting at `start`, or -1 when it never closes on its line. */
function stringEnd(text: string, start: number): number {
  for (let k = start + 1; k < text.length; k++) {
    const c = text[k];
    if (c === '\\') k++;
    else if (c === '"') return k + 1;
    else if (c === '\n') return -1;
  }
  return -1;
}

function decode(token: string): string {
  try {
    return JSON.parse(token) as string;
  } catch {
    return token.slice(1, -1);
  }
}

function pathOf(stack: Level[]): string | null {
  let path = '';
  for (const level of stack) {
    if (level.kind === 'array') path = childPath(path, level.index);
    else if (level.key === null) return null;
    else path = childPath(path, level.key);
  }
  return path;
}

/** A piece of a mirror line: plain text, or a mark. */
export interface MirrorPiece {
  text: string;
  mark?: TextMark;
}

/** The text as lines of pieces, the marks cut out (a mark never spans lines: strings do not). */
export function mirrorLines(text: string, marks: TextMark[]): MirrorPiece[][] {
  const lines: MirrorPiece[][] = [];
  let k = 0;
  let start = 0;
  for (const [n, lineText] of text.split('\n').entries()) {
    const end = start + lineText.length;
    const pieces: MirrorPiece[] = [];
    let at = start;
    while (k < marks.length && marks[k].line === n) {
      const m = marks[k++];
      if (m.start > at) pieces.push({ text: text.slice(at, m.start) });
      pieces.push({ text: text.slice(m.start, Math.min(m.end, end)), mark: m });
      at = Math.min(m.end, end);
    }
    if (at < end) pieces.push({ text: text.slice(at, end) });
    lines.push(pieces);
    start = end + 1;
  }
  return lines;
}
