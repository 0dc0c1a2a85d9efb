/** Long texts are stored in pieces DuckDB can compress (span-model/large-attributes.ts); joined, they give the text back. */
import { expect, it } from 'vitest';
import { largePieces, LARGE_PIECE_COLUMNS, textPieces } from '../../src/storage/span-model/large-attributes.js';

it('keeps a short text whole and an empty one as no piece', () => {
  expect(textPieces('{"a":1}')).toEqual(['{"a":1}']);
  expect(textPieces('')).toEqual([]);
});

it('cuts ASCII into pieces of 3,800 characters', () => {
  const text = 'x'.repeat(8000);
  expect(textPieces(text).map((p) => p.length)).toEqual([3800, 3800, 400]);
});

it('keeps every piece under 3,800 bytes and never splits a surrogate pair', () => {
  for (const unit of ['ü', '漢', '😀', 'a😀', '😀漢a']) {
    const text = unit.repeat(3001);
    const pieces = textPieces(text);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(3800);
      expect(Buffer.from(piece, 'utf8').toString('utf8')).toBe(piece); // no lone surrogate
    }
  }
});

it('gives at most one piece per column, the last holding the rest, and a short text as one piece', () => {
  expect(largePieces('{"a":1}')).toEqual(['{"a":1}']);
  const text = 'y'.repeat(3800 * (LARGE_PIECE_COLUMNS + 2) + 7);
  const pieces = largePieces(text);
  expect(pieces).toHaveLength(LARGE_PIECE_COLUMNS);
  expect(pieces.slice(0, -1).every((p) => p.length === 3800)).toBe(true);
  expect(pieces[LARGE_PIECE_COLUMNS - 1].length).toBe(3800 * 3 + 7);
  expect(pieces.join('')).toBe(text);
  const twoPieces = 'ü'.repeat(3000);
  expect(largePieces(twoPieces).join('')).toBe(twoPieces);
  expect(largePieces(twoPieces).every((p) => Buffer.byteLength(p) <= 3800)).toBe(true);
});
