import { describe, expect, it } from 'vitest';
import { describePaths, readEditedInput, withIncompleteEmptied } from '../../src/lib/model/replay-input.js';
import { mirrorLines, placeholderMarks } from '../../src/lib/model/replay-marks.js';

const captured = JSON.stringify({
  orderId: 'o-1',
  items: [{ sku: 'pen', note: 'paid with [REDACTED] ok' }],
  card: { number: '[REDACTED]', cvv: '[REDACTED]' },
  'odd key': '[REDACTED]',
  deep: '[Max depth]',
  long: 'abc…[truncated]',
}, null, 2);

describe('the incomplete values of a replay input, where they are in the text', () => {
  it('marks each redacted or cut value at its string token, with its line and the path the collector uses', () => {
    const marks = placeholderMarks(captured);
    expect(marks.map((m) => [m.path, m.reason])).toEqual([
      ['items[0].note', 'redacted'],
      ['card.number', 'redacted'],
      ['card.cvv', 'redacted'],
      ['["odd key"]', 'redacted'],
      ['deep', 'truncated'],
      ['long', 'truncated'],
    ]);
    const lines = captured.split('\n');
    for (const m of marks) {
      expect(captured.slice(m.start, m.end)).toMatch(/^".*"$/);
      expect(lines[m.line]).toContain(captured.slice(m.start, m.end));
    }
  });

  it('still marks what it finds while the text is not JSON (being edited, or cut at the cap)', () => {
    const editing = '{\n  "card": { "number": "[REDACTED]", "cvv": "12\n  "other": "[REDACTED]"';
    const marks = placeholderMarks(editing);
    expect(marks.map((m) => [m.path, m.line])).toEqual([['card.number', 1], [null, 2]]);
    const cut = '{"note": "aaaa…[truncated]';
    expect(placeholderMarks(cut).map((m) => [m.path, m.reason, cut.slice(m.start, m.end)])).toEqual([[null, 'truncated', '…[truncated]']]);
    expect(placeholderMarks('{"a": 1}')).toEqual([]);
  });

  it('cuts the text into mirror lines whose pieces put the marks back where they were', () => {
    const marks = placeholderMarks(captured);
    const lines = mirrorLines(captured, marks);
    expect(lines.map((pieces) => pieces.map((p) => p.text).join(''))).toEqual(captured.split('\n'));
    expect(lines.flat().filter((p) => p.mark).map((p) => p.text)).toEqual(marks.map((m) => captured.slice(m.start, m.end)));
  });
});

describe('running an edited replay input', () => {
  it('lists what is still incomplete, and empties those values (null) only when asked to', () => {
    const read = readEditedInput(captured);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(describePaths(read.incomplete)).toBe('items[0].note, card.number, card.cvv, ["odd key"], deep, long');
    expect(withIncompleteEmptied(read.value)).toEqual({
      orderId: 'o-1', items: [{ sku: 'pen', note: null }], card: { number: null, cvv: null }, 'odd key': null, deep: null, long: null,
    });
    expect(readEditedInput('{"card": {"number": "4242"}}')).toEqual({ ok: true, value: { card: { number: '4242' } }, incomplete: [] });
  });

  it('refuses text that is not JSON, naming the size cap when that is why', () => {
    expect(readEditedInput('{"a": ')).toMatchObject({ ok: false, reason: expect.stringContaining('not JSON') });
    expect(readEditedInput('{"a": "bbb…[truncated]')).toMatchObject({ ok: false, reason: expect.stringContaining('size cap') });
  });
});
