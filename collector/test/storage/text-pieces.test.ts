/** Long texts are stored in pieces DuckDB can compress; joined, they give the text back. */
import { expect, it } from 'vitest';
import { textPieces } from '../../src/storage/text-pieces.js';

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
