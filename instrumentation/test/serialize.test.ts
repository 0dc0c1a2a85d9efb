import { describe, expect, it } from 'vitest';
import { REDACTED_VALUE, TRUNCATION_MARKER } from '../src/conventions.js';
import { Redactor, serializePayload } from '../src/index.js';

const ser = (v: unknown, maxLength = 10_000, redactor?: Redactor): string | undefined => serializePayload(v, { maxLength, redactor });

describe('payload serialisation', () => {
  it('writes plain values as ordinary JSON', () => {
    expect(ser({ a: 1, b: 'x', c: [true, null], d: { e: 2.5 } })).toBe('{"a":1,"b":"x","c":[true,null],"d":{"e":2.5}}');
  });

  it('returns undefined for undefined so the attribute can be left out', () => {
    expect(ser(undefined)).toBeUndefined();
  });

  it('marks cycles instead of recursing forever, but prints shared references twice', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    const shared = { s: 1 };
    expect(ser(a)).toBe('{"name":"a","self":"[Circular]"}');
    expect(ser({ x: shared, y: shared })).toBe('{"x":{"s":1},"y":{"s":1}}');
  });

  it('writes BigInt as a decimal string', () => {
    expect(ser({ n: 12345678901234567890n })).toBe('{"n":"12345678901234567890"}');
  });

  it('writes Buffers as length plus base64', () => {
    expect(ser(Buffer.from('hi'))).toBe('{"type":"Buffer","length":2,"base64":"aGk="}');
  });

  it('writes Errors with name, message, stack, own fields and cause', () => {
    const err = Object.assign(new TypeError('bad', { cause: new Error('root') }), { code: 'E_BAD' });
    const parsed = JSON.parse(ser(err) ?? '') as Record<string, unknown>;
    expect(parsed.name).toBe('TypeError');
    expect(parsed.message).toBe('bad');
    expect(String(parsed.stack)).toContain('serialize.test.ts');
    expect(parsed.code).toBe('E_BAD');
    expect((parsed.cause as Record<string, unknown>).message).toBe('root');
  });

  it('writes Dates as ISO text, Maps as objects and Sets as arrays', () => {
    const v = { when: new Date(Date.UTC(2026, 0, 2)), m: new Map<unknown, unknown>([['k', 1], [2, 'two']]), s: new Set([1, 2]) };
    expect(ser(v)).toBe('{"when":"2026-01-02T00:00:00.000Z","m":{"k":1,"2":"two"},"s":[1,2]}');
  });

  it('survives getters and toJSON that throw', () => {
    const evil = { get boom(): never { throw new Error('no'); }, ok: 1 };
    expect(ser(evil)).toBe('{"boom":"[Unserializable]","ok":1}');
    expect(ser({ toJSON() { throw new Error('no'); } })).toBe('"[Unserializable]"');
  });

  it('writes NaN, Infinity, functions and symbols as readable strings', () => {
    expect(ser([NaN, Infinity, Symbol('s'), () => 1])).toBe('["NaN","Infinity","Symbol(s)","[Function anonymous]"]');
  });

  it('cuts output at the cap and ends it with the visible truncation marker', () => {
    const out = ser({ items: Array.from({ length: 1000 }, (_, i) => ({ i, text: 'lorem ipsum' })) }, 200) ?? '';
    expect(out.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(out.length).toBe(200 + TRUNCATION_MARKER.length);
  });

  it('stops early on huge inputs instead of serialising them whole', () => {
    let reads = 0;
    const items = Array.from({ length: 200_000 }, (_, i) => ({ i, payload: 'x'.repeat(50) }));
    const counted = new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(ser(counted, 1000)?.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(reads).toBeLessThan(50);

    const big = 'y'.repeat(20_000_000);
    let t = performance.now();
    JSON.stringify(big);
    const whole = performance.now() - t;
    t = performance.now();
    expect(ser(big, 1000)?.length).toBe(1000 + TRUNCATION_MARKER.length);
    expect(performance.now() - t).toBeLessThan(whole / 4);
  });

  it('limits depth', () => {
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 100; i++) { deep.next = {}; deep = deep.next as Record<string, unknown>; }
    expect(ser(top)).toContain('"[Max depth]"');
  });
});

describe('redaction', () => {
  const redactor = new Redactor();

  it('replaces secret keys of any casing and punctuation, at any depth, whatever their value type', () => {
    const out = JSON.parse(ser({
      user: 'ann', password: 'hunter2', nested: { 'X-Api-Key': 123, Authorization: 'Bearer abc', refresh_token: { t: 1 } },
      headers: new Map([['cookie', 'sid=1']]), list: [{ clientSecret: 's' }],
    }, 10_000, redactor) ?? '') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(out.user).toBe('ann');
    expect(out.password).toBe(REDACTED_VALUE);
    expect(out.nested['X-Api-Key']).toBe(REDACTED_VALUE);
    expect(out.nested.Authorization).toBe(REDACTED_VALUE);
    expect(out.nested.refresh_token).toBe(REDACTED_VALUE);
    expect(out.headers.cookie).toBe(REDACTED_VALUE);
    expect(out.list[0].clientSecret).toBe(REDACTED_VALUE);
  });

  it('scrubs bearer tokens and JWTs inside ordinary strings', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop';
    const out = ser({ note: `sent Bearer abc.def-123 and ${jwt} to them` }, 10_000, redactor);
    expect(out).toBe(`{"note":"sent ${REDACTED_VALUE} and ${REDACTED_VALUE} to them"}`);
  });

  it('takes extra keys and patterns, or only the given ones', () => {
    const custom = new Redactor({ keys: ['iban'], keyPatterns: [/^x-internal-/i], valuePatterns: [/\b\d{4}-\d{4}-\d{4}-\d{4}\b/g] });
    expect(ser({ IBAN: 'DE00', 'x-internal-id': 5, card: 'pay 1111-2222-3333-4444 now', password: 'p' }, 10_000, custom))
      .toBe(`{"IBAN":"${REDACTED_VALUE}","x-internal-id":"${REDACTED_VALUE}","card":"pay ${REDACTED_VALUE} now","password":"${REDACTED_VALUE}"}`);
    const mixed = new Redactor({ valuePatterns: [/secret-\w+/gi, /(\d)\1{5}/g, /^lead/y] });
    expect(ser({ a: 'a SECRET-abc b', b: 'pin 777777 ok', c: 'lead text', d: 'text lead', e: 'Bearer xyz' }, 10_000, mixed))
      .toBe(`{"a":"a ${REDACTED_VALUE} b","b":"pin ${REDACTED_VALUE} ok","c":"${REDACTED_VALUE} text","d":"text lead","e":"${REDACTED_VALUE}"}`);
    const only = new Redactor({ keys: ['pin'], replaceDefaults: true });
    expect(ser({ pin: 1, password: 'visible' }, 10_000, only)).toBe(`{"pin":"${REDACTED_VALUE}","password":"visible"}`);
  });
});

describe('payload serialisation of plain JSON data', () => {
  it('writes exactly what JSON.stringify writes, escapes and repeated keys included', () => {
    const texts = ['plain', 'quote " and \\ backslash', 'line\nbreak\ttab', 'ctl \u0001 \u001f \u007f', 'emoji \ud83d\ude00', 'lone \ud800 high', 'lone \udc00 low', 'sep \u2028 \u2029', 'é ü 漢字', ''];
    const keys = ['a', 'key "quoted"', 'back\\slash', 'new\nline', 'ключ', ''];
    const values: unknown[] = [];
    for (let i = 0; i < 200; i++) {
      const o: Record<string, unknown> = {};
      for (let k = 0; k < keys.length; k++) o[keys[(i + k) % keys.length]] = k % 3 === 0 ? texts[(i + k) % texts.length] : k % 3 === 1 ? [i, -k / 3, true, null] : { n: i * 1.5, s: texts[i % texts.length] };
      values.push(o);
    }
    for (const v of [...values, values, texts, 0, -0, 1e21, 'just a string']) expect(ser(v, 1e7)).toBe(JSON.stringify(v));
  });
});
