/**
 * Redaction: secrets are replaced before anything leaves the process. A key is secret when
 * its normalised form (lower case, letters and digits only) contains one of the configured
 * key names or matches one of the key patterns; string values are scrubbed with the value
 * patterns (bearer tokens, JWTs …). Key decisions are cached because payloads repeat keys.
 */
import { REDACTED_VALUE } from '../conventions.js';

/** How secrets are recognised. Lists given here extend the defaults unless `replaceDefaults` is set. */
export interface RedactionOptions {
  /** Key names whose values are replaced, matched case- and punctuation-insensitively as substrings. */
  keys?: readonly string[];
  /** Regular expressions tested against the raw key. */
  keyPatterns?: readonly RegExp[];
  /** Regular expressions whose matches inside string values are replaced (use the `g` flag). */
  valuePatterns?: readonly RegExp[];
  /** Use only the lists given here, not the defaults. */
  replaceDefaults?: boolean;
}

/** Default secret key names (normalised by {@link normaliseKey} before matching). */
export const DEFAULT_REDACTED_KEYS: readonly string[] = [
  'password', 'passwd', 'pwd', 'secret', 'token', 'authorization', 'auth', 'cookie',
  'api_key', 'apikey', 'api-key', 'private_key', 'credential', 'session_id', 'sessionid',
  'credit_card', 'card_number', 'cvv', 'ssn',
];

/** Default value patterns: bearer/basic credentials and JWT-looking strings. */
export const DEFAULT_REDACTED_VALUE_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g,
];

const KEY_CACHE_LIMIT = 2048;

/** Lower-cases a key and drops everything but letters and digits (`X-Api-Key` → `xapikey`). */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A compiled redaction policy. */
export class Redactor {
  private readonly keys: string[];
  private readonly keyPatterns: readonly RegExp[];
  private readonly valuePatterns: readonly RegExp[];
  /** All value patterns as one expression, to test a text once; undefined when they cannot be joined. */
  private readonly anyValuePattern: RegExp | undefined;
  private readonly cache = new Map<string, boolean>();

  constructor(options: RedactionOptions = {}) {
    const base = options.replaceDefaults ? [] : DEFAULT_REDACTED_KEYS;
    this.keys = [...base, ...(options.keys ?? [])].map(normaliseKey).filter((k) => k.length > 0);
    this.keyPatterns = options.keyPatterns ?? [];
    const values = options.replaceDefaults ? [] : DEFAULT_REDACTED_VALUE_PATTERNS;
    this.valuePatterns = [...values, ...(options.valuePatterns ?? [])];
    this.anyValuePattern = joinPatterns(this.valuePatterns);
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

  /** A URL query string with the values of secret parameters (?token=…, ?api_key=…) replaced. */
  redactQuery(query: string): string {
    const parts = query.split('&').map((part) => {
      const at = part.indexOf('=');
      if (at < 0) return part;
      let key = part.slice(0, at);
      try {
        key = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the key as it was sent
      }
      return this.isSecretKey(key) ? `${part.slice(0, at)}=${encodeURIComponent(REDACTED_VALUE)}` : part;
    });
    return this.redactText(parts.join('&'));
  }

  /** Replaces every value-pattern match inside a text. */
  redactText(text: string): string {
    if (this.valuePatterns.length === 0) return text;
    if (this.anyValuePattern && !this.anyValuePattern.test(text)) return text; // the usual case: one scan, no secret
    let out = text;
    for (const p of this.valuePatterns) {
      p.lastIndex = 0;
      if (p.test(out)) {
        p.lastIndex = 0;
        out = out.replace(p, REDACTED_VALUE);
      }
      p.lastIndex = 0;
    }
    return out;
  }
}

/**
 * One expression matching wherever any of the patterns matches (a text with no match for it
 * has none for each of them), or undefined when they cannot be joined safely: different flags
 * (other than g and y), back-references (their group numbers would shift) or a failed compile.
 */
function joinPatterns(patterns: readonly RegExp[]): RegExp | undefined {
  if (patterns.length < 2) return patterns.length === 1 ? new RegExp(patterns[0].source, patterns[0].flags.replace(/[gy]/g, '')) : undefined;
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
