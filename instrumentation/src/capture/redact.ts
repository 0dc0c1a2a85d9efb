/**
 * Redaction: secrets are replaced before anything leaves the process. A key is secret when
 * its normalised form (lower case, letters and digits only) contains one of the configured
 * key names or matches one of the key patterns; string values are scrubbed in place with the
 * value patterns (card numbers, bearer tokens, JWTs, private keys, cloud keys — see
 * value-patterns.ts), so a secret inside a log line becomes `[REDACTED]` and the rest of the
 * line stays readable. Key decisions are cached because payloads repeat keys. Almost every
 * text has no secret, so a text is first tested once against all the patterns' cheap triggers
 * joined (one regex call: on short strings the call, not the scan, is the cost); only then
 * does each pattern whose trigger finds something run.
 */
import type { Exception } from '@opentelemetry/api';
import { REDACTED_VALUE } from '../conventions.js';
import { DEFAULT_REDACTED_VALUE_PATTERNS, isCardLikeNumber, type DefaultValuePatternName, type ValuePattern } from './value-patterns.js';

/** How secrets are recognised. Lists given here extend the defaults unless `replaceDefaults` is set. */
export interface RedactionOptions {
  /** Key names whose values are replaced, matched case- and punctuation-insensitively as substrings. */
  keys?: readonly string[];
  /** Regular expressions tested against the raw key. */
  keyPatterns?: readonly RegExp[];
  /**
   * Extra value patterns, applied after the defaults: a regular expression (its matches inside
   * string values become `[REDACTED]`; use the `g` flag) or a {@link ValuePattern} whose
   * `redact` function decides what each match becomes.
   */
  valuePatterns?: readonly (RegExp | ValuePattern)[];
  /** Default value patterns to leave out, by name, or `'all'`; the default keys stay. */
  disableValuePatterns?: readonly DefaultValuePatternName[] | 'all';
  /** Use only the lists given here: no default keys, no default value patterns. */
  replaceDefaults?: boolean;
}

/** Default secret key names (normalised by {@link normaliseKey} before matching). */
export const DEFAULT_REDACTED_KEYS: readonly string[] = [
  'password', 'passwd', 'pwd', 'secret', 'token', 'authorization', 'auth', 'cookie',
  'api_key', 'apikey', 'api-key', 'private_key', 'credential', 'session_id', 'sessionid',
  'credit_card', 'card_number', 'cvv', 'ssn',
];

const KEY_CACHE_LIMIT = 2048;

/** Lower-cases a key and drops everything but letters and digits (`X-Api-Key` → `xapikey`). */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A value pattern ready to run: its cheap test, its expression and what `String.replace` is given. */
interface CompiledPattern {
  /** Stateless (no g or y flag); adjacent patterns may share it. */
  trigger: RegExp;
  pattern: RegExp;
  replacement: string | ((match: string) => string);
}

/** A compiled redaction policy. */
export class Redactor {
  private readonly keys: string[];
  private readonly keyPatterns: readonly RegExp[];
  private readonly valuePatterns: readonly CompiledPattern[];
  /** All triggers as one expression, to test a text once; undefined when they cannot be joined. */
  private readonly anyTrigger: RegExp | undefined;
  /** Whether the default card pattern is on: it also applies to card numbers sent as JSON numbers. */
  private readonly cardNumbers: boolean;
  private readonly cache = new Map<string, boolean>();

  constructor(options: RedactionOptions = {}) {
    const base = options.replaceDefaults ? [] : DEFAULT_REDACTED_KEYS;
    this.keys = [...base, ...(options.keys ?? [])].map(normaliseKey).filter((k) => k.length > 0);
    this.keyPatterns = options.keyPatterns ?? [];
    const defaults = defaultValuePatterns(options);
    this.cardNumbers = defaults.some((p) => p.name === 'card');
    this.valuePatterns = [...defaults, ...(options.valuePatterns ?? [])].map(compile);
    this.anyTrigger = joinPatterns([...new Set(this.valuePatterns.map((p) => p.trigger))]);
  }

  /** True when the value under this key must be replaced. */
  isSecretKey(key: string): boolean {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const n = normaliseKey(key);
    let secret = false;
    for (const k of this.keys) if (n.includes(k)) { secret = true; break; }
    if (!secret) for (const p of this.keyPatterns) if (testPattern(p, key)) { secret = true; break; }
    if (this.cache.size >= KEY_CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, secret);
    return secret;
  }

  /**
   * True when a JSON number is a secret: a card number sent as a number (13–16 digits, Luhn
   * valid), while the card pattern is on. Other value patterns look at strings only.
   */
  isSecretNumber(n: number): boolean {
    return this.cardNumbers && isCardLikeNumber(n);
  }

  /**
   * A URL query string with the values of secret parameters (?token=…, ?api_key=…) replaced,
   * and value-pattern matches replaced in every parameter, judged on its decoded text
   * (`4111%201111…`, `Bearer+abc`) and written back percent-encoded.
   */
  redactQuery(query: string): string {
    return query.split('&').map((part) => {
      const at = part.indexOf('=');
      if (at < 0) return this.redactComponent(part);
      const rawKey = part.slice(0, at);
      return this.isSecretKey(decode(rawKey))
        ? `${rawKey}=${encodeURIComponent(REDACTED_VALUE)}`
        : `${this.redactComponent(rawKey)}=${this.redactComponent(part.slice(at + 1))}`;
    }).join('&');
  }

  /** Replaces every value-pattern match inside a text. */
  redactText(text: string): string {
    if (this.valuePatterns.length === 0) return text;
    if (this.anyTrigger && !this.anyTrigger.test(text)) return text; // the usual case: one call, nothing found
    let out = text;
    let tested: RegExp | undefined; // the last trigger run on `out`, and its answer
    let found = false;
    for (const { trigger, pattern, replacement } of this.valuePatterns) {
      if (trigger !== tested) {
        tested = trigger;
        found = trigger.test(out);
      }
      if (!found) continue; // the usual case: the trigger finds nothing
      const before = out;
      pattern.lastIndex = 0;
      // A string never as a `$` pattern; a function through exec (String.replace with a callback costs ~3× as much).
      out = typeof replacement === 'string' ? out.replace(pattern, () => replacement) : replaceEach(out, pattern, replacement);
      pattern.lastIndex = 0;
      if (out !== before) tested = undefined; // the text changed: run the next trigger afresh
    }
    return out;
  }

  /** One percent-encoded query component, redacted on its decoded text; unchanged when nothing is secret. */
  private redactComponent(raw: string): string {
    const decoded = decode(raw);
    const redacted = this.redactText(decoded);
    return redacted === decoded ? raw : encodeURIComponent(redacted);
  }
}

/** `text` with each match of `pattern` (every one if global, else the first) replaced by `replace(match)`. */
function replaceEach(text: string, pattern: RegExp, replace: (match: string) => string): string {
  let out = '';
  let copied = 0; // end of the part of `text` already in `out`
  let changed = false;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const r = replace(m[0]);
    if (r !== m[0]) {
      out += text.slice(copied, m.index) + r;
      copied = m.index + m[0].length;
      changed = true;
    }
    if (!pattern.global) break;
    if (m[0].length === 0) pattern.lastIndex++; // an empty match: step on, or exec finds it for ever
  }
  return changed ? out + text.slice(copied) : text;
}

/**
 * What the span's `exception` event records for an Error: its type, and its message and stack
 * with value-pattern matches replaced (a declined card number in "card 4111 … declined").
 * The user's error object itself is never changed.
 */
export function redactError(error: Error, redactor: Redactor): Exception {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: redactor.redactText(error.message),
    stack: error.stack === undefined ? undefined : redactor.redactText(error.stack),
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
  };
}

function defaultValuePatterns(options: RedactionOptions): readonly ValuePattern[] {
  const off = options.disableValuePatterns;
  if (options.replaceDefaults || off === 'all') return [];
  if (!off || off.length === 0) return DEFAULT_REDACTED_VALUE_PATTERNS;
  return DEFAULT_REDACTED_VALUE_PATTERNS.filter((p) => !(off as readonly string[]).includes(p.name));
}

/** Triggers made stateless, one per source trigger, so patterns sharing one still share it. */
const statelessTriggers = new WeakMap<RegExp, RegExp>();

function compile(p: RegExp | ValuePattern): CompiledPattern {
  const pattern = p instanceof RegExp ? p : p.pattern;
  const source = (p instanceof RegExp ? undefined : p.trigger) ?? pattern;
  let trigger = statelessTriggers.get(source);
  if (trigger === undefined) {
    trigger = new RegExp(source.source, source.flags.replace(/[gy]/g, '')); // test() then keeps no lastIndex
    statelessTriggers.set(source, trigger);
  }
  return { trigger, pattern, replacement: p instanceof RegExp ? REDACTED_VALUE : p.redact ?? REDACTED_VALUE };
}

/** A query component decoded (`+` is a space); as it was sent when its escapes are malformed. */
function decode(raw: string): string {
  if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * One expression matching wherever any of the patterns matches (a text with no match for it
 * has none for each of them), or undefined when they cannot be joined safely: different flags
 * (other than g and y), back-references (their group numbers would shift) or a failed compile.
 */
function joinPatterns(patterns: readonly RegExp[]): RegExp | undefined {
  if (patterns.length < 2) return patterns[0];
  const flags = patterns[0].flags.replace(/[gy]/g, '');
  for (const p of patterns) {
    if (p.flags.replace(/[gy]/g, '') !== flags || /\\[1-9]|\\k</.test(p.source)) return undefined;
  }
  try {
    return new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), flags);
  } catch {
    return undefined;
  }
}

function testPattern(p: RegExp, s: string): boolean {
  p.lastIndex = 0;
  const r = p.test(s);
  p.lastIndex = 0;
  return r;
}
