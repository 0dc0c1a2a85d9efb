/**
 * The default value patterns: secrets recognised by their shape whatever key they sit under
 * (payment card numbers, bearer credentials, JWTs, PEM private keys, cloud and SaaS access
 * keys). Each pattern finds candidates with a regular expression; a pattern that needs more
 * than a regular expression can say (the card's Luhn check) decides in its `redact` function
 * what a candidate becomes. Each default has a `trigger`, a short expression every match
 * passes, shared by patterns of the same shape: a text in which no trigger is found — almost
 * every text — costs six quick scans and no more (all ten full expressions, even joined into
 * one, cost several times as much, measured on 4 KiB texts).
 * Invariants: every expression has the `g` flag and no back-references; all are linear (no
 * nested ambiguous quantifiers), so a hostile string cannot make them backtrack for long.
 */
import { REDACTED_VALUE } from '../conventions.js';

/** A named value pattern: candidates are found with `pattern`, and `redact` decides what each becomes. */
export interface ValuePattern {
  /** Short name, used to turn a default pattern off (`disableValuePatterns`). */
  readonly name: string;
  /** Finds candidates (give it the `g` flag to replace every match, not only the first). */
  readonly pattern: RegExp;
  /**
   * Optional cheap test that every match of `pattern` passes (a literal part of it, say);
   * `pattern` runs only on texts it finds. Adjacent patterns may share one trigger object,
   * which is then run once. Without it, `pattern` itself is the test.
   */
  readonly trigger?: RegExp;
  /**
   * What a candidate is replaced with: the candidate itself when it turns out not to be a
   * secret, or a text with the secret part(s) replaced. Default: the whole match becomes `[REDACTED]`.
   */
  readonly redact?: (match: string) => string;
}

/** Names of the default value patterns. */
export type DefaultValuePatternName =
  | 'private-key' | 'jwt' | 'bearer' | 'aws-access-key-id' | 'github-token' | 'slack-token'
  | 'google-api-key' | 'stripe-key' | 'npm-token' | 'card';

// Triggers, shared by the patterns they serve (see ValuePattern.trigger).
const PEM_OR_JWT = /-----BEGIN|eyJ/;
const A_KEYS = /A(?:KIA|SIA|Iza)/;
const UNDERSCORE_KEYS = /_/;

/** Not followed by a character that would make the match part of a longer word (`\b` does the start). */
const END = '(?![A-Za-z0-9_])';

/**
 * The default value patterns, in the order they are applied: a private key block first (its
 * base64 body may hold anything), the card check last (the costliest); patterns sharing a
 * trigger stand together.
 */
export const DEFAULT_REDACTED_VALUE_PATTERNS: readonly ValuePattern[] = [
  // A PEM block of any private key type (RSA, EC, OPENSSH, ENCRYPTED, PKCS#8 …), across lines;
  // one without its END line (cut by a size cap) is replaced up to the end of the text.
  { name: 'private-key', trigger: PEM_OR_JWT, pattern: /-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z0-9 ]{0,40} PRIVATE KEY-----|[\s\S]*$)/g },
  // JSON Web Tokens: three base64url parts, the header starts with `{"` (eyJ).
  { name: 'jwt', trigger: PEM_OR_JWT, pattern: new RegExp(`\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])`, 'g') },
  // `Authorization: Bearer …` / `Basic …` credentials, written into text.
  { name: 'bearer', trigger: /\b(?:Bearer|Basic)\s/, pattern: /\b(?:Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g },
  // AWS access key ids: long-term (AKIA) and temporary (ASIA), 20 characters.
  { name: 'aws-access-key-id', trigger: A_KEYS, pattern: new RegExp(`\\b(?:AKIA|ASIA)[A-Z0-9]{16}${END}`, 'g') },
  // Google API keys: AIza and 35 more characters.
  { name: 'google-api-key', trigger: A_KEYS, pattern: new RegExp(`\\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`, 'g') },
  // GitHub tokens: personal, OAuth, user-to-server, server-to-server, refresh; fine-grained PATs.
  { name: 'github-token', trigger: UNDERSCORE_KEYS, pattern: new RegExp(`\\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})${END}`, 'g') },
  // Stripe secret and restricted keys, live and test mode (publishable pk_ keys are public).
  { name: 'stripe-key', trigger: UNDERSCORE_KEYS, pattern: new RegExp(`\\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,247}${END}`, 'g') },
  // npm access tokens.
  { name: 'npm-token', trigger: UNDERSCORE_KEYS, pattern: new RegExp(`\\bnpm_[A-Za-z0-9]{36}${END}`, 'g') },
  // Slack tokens: bot, app, user, refresh, legacy (xoxb-, xoxa-, xoxp-, xoxr-, xoxs-).
  { name: 'slack-token', trigger: /xox[baprs]-/, pattern: new RegExp(`\\bxox[baprs]-[A-Za-z0-9-]{10,250}`, 'g') },
  // Payment card numbers: a run of 13+ digits, single spaces or dashes between them, not glued
  // to a word or a decimal point before it; which part of the run (if any) is a card is decided
  // by redactCards. No look-ahead at the end: the greedy run then never backtracks, so a long
  // hostile run of digits costs one pass. Every card format has a group of 4+ digits followed
  // by 4 more (4-4-4-4, 4-6-5, unbroken), which is the trigger.
  { name: 'card', trigger: /\d{4}[ -]?\d{4}/, pattern: /(?<![A-Za-z0-9_.])\d(?:[ -]?\d){12,}/g, redact: redactCards },
];

/**
 * A run of digits with the card numbers in it replaced. A card is 13–19 digits in a network's
 * range (see {@link isCardNumber}), uses one kind of separator and passes the Luhn check. The
 * whole run is tried first, then every stretch of whole digit groups, so a card written next
 * to other digits ("qty 100 4111 1111 1111 1111") is still found.
 */
export function redactCards(run: string): string {
  if (isCardNumber(run)) return REDACTED_VALUE;
  const groups: [number, number][] = []; // [start, end) of each group of digits
  let start = 0;
  for (let i = 1; i <= run.length; i++) {
    const c = run.charCodeAt(i); // NaN past the end: closes the last group
    if (!(c >= 48 && c <= 57)) {
      if (start < i) groups.push([start, i]);
      start = i + 1;
    }
  }
  if (groups.length < 2) return run;
  let out = '';
  let done = 0; // end of the part of `run` already copied to `out`
  for (let i = 0; i < groups.length; i++) {
    let digits = 0;
    for (let j = i; j < groups.length; j++) {
      digits += groups[j][1] - groups[j][0];
      if (digits > 19) break;
      if (digits >= 13 && isCardNumber(run.slice(groups[i][0], groups[j][1]))) {
        out += run.slice(done, groups[i][0]) + REDACTED_VALUE;
        done = groups[j][1];
        i = j; // continue after this card
        break;
      }
    }
  }
  return done === 0 ? run : out + run.slice(done);
}

/**
 * True for 13–19 digits (one kind of separator allowed) that pass the Luhn check and start as
 * the card networks' numbers do: 2221–2720 (Mastercard), 30 and 34–39 (Diners, Amex, JCB),
 * 4 (Visa), 5 (Mastercard, Maestro), 6 (Discover, UnionPay, Maestro). That range leaves out
 * epoch timestamps (1…) and ids that start with a date (19…, 20…), Luhn-valid or not.
 */
export function isCardNumber(text: string): boolean {
  if (!inCardRange(text)) return false;
  let sum = 0;
  let digits = 0;
  let separator = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 45) { // ' ' or '-'
      if (separator !== 0 && separator !== c) return false;
      separator = c;
      continue;
    }
    let d = c - 48;
    if (d < 0 || d > 9) return false;
    if (digits++ % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}

/** Whether a text (digits, maybe separated) starts in a card network's range; see {@link isCardNumber}. */
function inCardRange(text: string): boolean {
  const first = text.charCodeAt(0) - 48;
  if (first >= 4 && first <= 6) return true;
  if (first !== 2 && first !== 3) return false;
  let lead = 0; // the first four digits as a number, separators skipped
  for (let i = 0, n = 0; n < 4 && i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) { lead = lead * 10 + d; n++; }
  }
  return first === 3 ? lead < 3100 || lead >= 3400 : lead >= 2221 && lead <= 2720; // 3: not 31–33
}

/**
 * True for a number that is a card number written as a JSON number: an integer of 13 to 16
 * digits (above that a double cannot hold every digit) that {@link isCardNumber} accepts.
 * Cheap for ordinary numbers: one range test.
 */
export function isCardLikeNumber(n: number): boolean {
  return n >= 2e12 && n < 7e15 && Number.isInteger(n) && isCardNumber(String(n));
}
