/**
 * JSON text → values, keeping 64-bit integers exact. Ingest writes int64 attribute values as
 * number tokens with every digit (ingest/any-value-json.ts); JSON.parse would round those
 * beyond 2^53. Here an integer token outside ±(2^53−1) becomes a bigint; everything else is
 * what JSON.parse gives. Text without a run of 16 digits cannot hold such a token and goes to
 * JSON.parse directly, so the slower path runs only where it matters.
 *
 * `parseJsonTyped` keeps the type of every number as ingest wrote it (ingest/any-value-json.ts):
 * a token without a point or exponent is an integer (bigint, whatever its size), any other a
 * double (number, 2.0 included) — what the OTLP export needs to give back intValue or doubleValue.
 */

export type JsonValue = string | number | bigint | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const MAYBE_BIG = /\d{16}/;

/** Parses JSON text; integers beyond the safe range are bigints. Throws SyntaxError on bad text. */
export function parseJsonInt64(text: string): JsonValue {
  if (!MAYBE_BIG.test(text)) return JSON.parse(text) as JsonValue;
  return parseAll(new Parser(text, false));
}

/** Parses JSON text; every integer token is a bigint, every other number a number. Throws SyntaxError on bad text. */
export function parseJsonTyped(text: string): JsonValue {
  // Text without a digit holds no number: JSON.parse reads it the same, faster.
  return /\d/.test(text) ? parseAll(new Parser(text, true)) : (JSON.parse(text) as JsonValue);
}

function parseAll(p: Parser): JsonValue {
  const value = p.value();
  p.space();
  if (p.at < p.text.length) p.fail();
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Parser {
  at = 0;
  constructor(readonly text: string, private readonly typed: boolean) {}

  fail(): never {
    throw new SyntaxError(`Bad JSON at position ${this.at}`);
  }

  space(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  value(): JsonValue {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.at)) { this.at += word.length; return v; }
    }
    return this.number();
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail();
    this.at += m[0].length;
    const integer = m[1] === undefined && m[2] === undefined;
    if (integer && this.typed) return BigInt(m[0]);
    const n = Number(m[0]);
    if (integer && !Number.isSafeInteger(n)) return BigInt(m[0]);
    return n;
  }

  private string(): string {
    STRING.lastIndex = this.at;
    const m = STRING.exec(this.text);
    if (m === null) this.fail();
    this.at += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private array(): JsonValue[] {
    this.at++;
    const out: JsonValue[] = [];
    this.space();
    if (this.text[this.at] === ']') { this.at++; return out; }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  private object(): { [key: string]: JsonValue } {
    this.at++;
    const out: { [key: string]: JsonValue } = {};
    this.space();
    if (this.text[this.at] === '}') { this.at++; return out; }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail();
      const key = this.string();
      this.space();
      if (this.text[this.at++] !== ':') this.fail();
      // defineProperty: a "__proto__" key stays an ordinary key, as with JSON.parse.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.text[this.at++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
    }
  }
}
