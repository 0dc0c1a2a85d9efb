/**
 * Well-formed UTF-16 for every text that reaches storage. A lone surrogate (half an emoji:
 * "\ud83d" in OTLP/JSON, or invalid UTF-8 that protobufjs decodes loosely) would be written by
 * JSON.stringify as the escape "\ud83d", which DuckDB's JSON reader refuses: every cast of the
 * attributes to JSON (views, API reads, migrations) would fail on that row. Lone surrogates
 * become U+FFFD, as a UTF-8 decoder does with bytes it cannot read.
 */

/** String.prototype.isWellFormed / toWellFormed (Node 20; not in the ES2022 lib typings). */
interface WellFormedText {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** `s` with every lone surrogate replaced by U+FFFD; `s` itself when it has none (the usual case, one native scan). */
export function wellFormed(s: string): string {
  const t = s as unknown as WellFormedText;
  return t.isWellFormed() ? s : t.toWellFormed();
}
