/** query/json-int64.ts: JSON text read like JSON.parse, but 64-bit integers beyond 2^53 stay exact. */
import { describe, expect, it } from 'vitest';
import { parseJsonInt64 } from '../../src/query/json-int64.js';

describe('JSON with exact 64-bit integers', () => {
  it('reads integers beyond ±(2^53−1) as bigints and everything else as JSON.parse does', () => {
    const text = '{"big":9007199254740993,"neg":-9223372036854775808,"safe":9007199254740991,"f":12345678901234567.5,"e":1e300,'
      + '"s":"9007199254740993","a":[1,true,null,{"x":18446744073709551615}],"u":"\\u00e9\\n"}';
    expect(parseJsonInt64(text)).toEqual({
      big: 9007199254740993n, neg: -9223372036854775808n, safe: 9007199254740991, f: 12345678901234567.5, e: 1e300,
      s: '9007199254740993', a: [1, true, null, { x: 18446744073709551615n }], u: 'é\n',
    });
  });

  it('keeps a "__proto__" key as an ordinary key, as JSON.parse does', () => {
    const parsed = parseJsonInt64('{"__proto__":{"polluted":1},"n":12345678901234567890}') as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__', 'n']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses text that is not JSON', () => {
    for (const bad of ['{"a":12345678901234567890', '[12345678901234567890,]', '{"a" 12345678901234567890}', '12345678901234567890 x', "{'a':1234567890123456789}"]) {
      expect(() => parseJsonInt64(bad), bad).toThrow(SyntaxError);
    }
  });
});
