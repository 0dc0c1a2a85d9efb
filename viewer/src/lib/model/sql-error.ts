/**
 * How the SQL console shows an API error: a syntax error as one (DuckDB's message with its
 * `LINE n:` line and caret, kept in monospace so the caret stands under the place), a refusal
 * as "not allowed", anything else as the API words it.
 */
export interface SqlErrorView {
  kind: 'syntax' | 'error' | 'refused' | 'other';
  title: string;
  /** The message without the code's own prefix ("SQL error: "); may span lines. */
  text: string;
}

export function sqlErrorView(error: { code: string; message: string }): SqlErrorView {
  const text = error.message.replace(/^SQL (error|refused): /, '');
  if (error.code === 'FT_SQL_ERROR' && text.startsWith('Parser Error')) {
    return { kind: 'syntax', title: 'Syntax error', text: text.replace(/^Parser Error: /, '') };
  }
  if (error.code === 'FT_SQL_ERROR') return { kind: 'error', title: 'The query failed', text };
  if (error.code === 'FT_SQL_REFUSED') return { kind: 'refused', title: 'Not allowed in the console', text };
  return { kind: 'other', title: 'Something went wrong', text: error.message };
}
