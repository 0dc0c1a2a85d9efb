/**
 * The message of a console statement that does not parse, as DuckDB's parser words it, with
 * the `LINE n: …` line and the caret under the place it stopped. json_serialize_sql (what the
 * console checks statements with) says only "syntax error at or near …"; extracting the
 * statements parses the text again, binds and runs nothing, and throws the full message.
 * DuckDB gives no position for "at end of input": the caret then goes after the last character.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

const EXTRACT_PREFIX = /^Failed to extract statements:\s*/;

/** DuckDB's parser message for `sql` with its caret line, or undefined when it parses after all. */
export async function syntaxErrorMessage(connection: DuckDBConnection, sql: string, fallback: string): Promise<string | undefined> {
  let message: string;
  try {
    await connection.extractStatements(sql);
    return undefined;
  } catch (error) {
    message = (error instanceof Error ? error.message : String(error)).replace(EXTRACT_PREFIX, '');
  }
  if (!message.startsWith('Parser Error')) message = `Parser Error: ${fallback}`;
  return /\nLINE \d+:/.test(message) ? message : `${message}\n\n${caretAtEnd(sql)}`;
}

/** `LINE n: <last non-blank line>` and a caret after its last character, in DuckDB's layout. */
function caretAtEnd(sql: string): string {
  const lines = sql.replace(/\s+$/, '').split('\n');
  const last = lines[lines.length - 1] ?? '';
  const label = `LINE ${lines.length}: `;
  return `${label}${last}\n${' '.repeat(label.length + last.length)}^`;
}
