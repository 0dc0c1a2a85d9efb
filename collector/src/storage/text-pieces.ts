/**
 * Cuts a long text into pieces DuckDB can compress. DuckDB compresses a string column (FSST)
 * only while every string of a segment stays under about 4 KB; one longer string leaves the
 * whole segment uncompressed (measured: 100k spans of 0.1–8 KiB payloads took 289 MB stored
 * whole, 65 MB as pieces of 2,000 characters). Pieces never split a surrogate pair, so each
 * one is valid text on its own and joining them gives the text back.
 */

const PIECE_CHARS = 3800;
const PIECE_BYTES = 3800;

/** The text in pieces of at most 3,800 UTF-16 units and 3,800 UTF-8 bytes, in order. */
export function textPieces(text: string): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + PIECE_CHARS);
    // ASCII: 3,800 units are 3,800 bytes. Otherwise halve until it fits (1,266 units are at
    // most 3,798 bytes: a UTF-16 unit takes at most 3 bytes of UTF-8).
    while (end - at > 1 && Buffer.byteLength(text.slice(at, end)) > PIECE_BYTES) end = at + Math.ceil((end - at) / 2);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
