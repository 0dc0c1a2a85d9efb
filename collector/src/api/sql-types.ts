/** Wire types of the SQL console (POST /api/sql): the statement, and its result as columns and rows. */
import Type, { type Static } from 'typebox';

export const SqlRequest = Type.Object({
  sql: Type.String({ minLength: 1, maxLength: 100_000, description: 'One read-only statement' }),
}, { additionalProperties: false });
export type SqlRequest = Static<typeof SqlRequest>;

export const SqlColumn = Type.Object({ name: Type.String(), type: Type.String({ description: "The engine's type name" }) });
export type SqlColumn = Static<typeof SqlColumn>;

export const SqlResult = Type.Object({
  columns: Type.Array(SqlColumn),
  rows: Type.Array(Type.Array(Type.Unknown()), { description: 'One array per row, values in the order of columns, as JSON' }),
  truncated: Type.Boolean({ description: 'More rows (or bytes) than the cap: the rest were left out' }),
  elapsedMs: Type.Number(),
});
export type SqlResult = Static<typeof SqlResult>;
