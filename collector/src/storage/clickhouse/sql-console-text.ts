/**
 * The text side of the ClickHouse SQL console: what it reads from the statement ClickHouse
 * itself formatted (`formatQuery`, one statement, comments gone, names quoted only where needed),
 * and the text it runs, with the limits in the statement's own SETTINGS clause.
 *
 * Invariants:
 * - Only formatted text is read here, never the user's: the tokens of a canonical statement.
 *   A quoted name holding an escape (`\n`, `` \` ``) is refused, because `EXPLAIN AST` prints
 *   names raw and a newline inside one would forge a line of the parsed tree.
 * - The limits travel in the statement (chDB makes client settings session-wide, and a
 *   read-only user's profile may fix them): `readonly = 1` (no writes; no table functions but
 *   generators; chDB's file overlay of the default database refused), the time limit, the
 *   memory cap, and the row cap as a LIMIT. What runs is the formatted statement it checked, wrapped.
 */
import { errors } from '../../errors.js';

export interface ConsoleLimits {
  /** Milliseconds left of the time limit when the statement is sent. */
  remainingMs: number;
  maxRows: number;
  maxMemoryBytes: number;
}

/** A CTE defined by `name AS (…)`, in the order of the formatted text. */
export interface CteName {
  name: string;
  recursive: boolean;
}

interface Token {
  kind: 'word' | 'quoted' | 'string' | 'punct';
  text: string;
  depth: number;
}

const refuse = (why: string) => errors.FT_SQL_REFUSED(why);
const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits formatted SQL into tokens with their parenthesis depth; refuses quoted names with escapes. */
export function tokens(sql: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (let i = 0; i < sql.length;) {
    const c = sql[i];
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === "'" || c === '`' || c === '"') {
      let j = i + 1;
      let escaped = false;
      while (j < sql.length && sql[j] !== c) {
        if (sql[j] === '\\') { escaped = true; j += 1; }
        j += 1;
      }
      const body = sql.slice(i + 1, j);
      if (c !== "'" && (escaped || /[\u0000-\u001f\u007f]/.test(body))) {
        throw refuse('quoted names with escapes or control characters are not allowed');
      }
      out.push({ kind: c === "'" ? 'string' : 'quoted', text: body, depth });
      i = j + 1;
      continue;
    }
    const number = /^[0-9][0-9A-Za-z_.]*/.exec(sql.slice(i, i + 256));
    if (number) {
      out.push({ kind: 'punct', text: number[0], depth });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 256));
    if (word) {
      out.push({ kind: 'word', text: word[0], depth });
      i += word[0].length;
      continue;
    }
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    out.push({ kind: 'punct', text: c, depth: c === '(' ? depth - 1 : depth });
    i += 1;
  }
  return out;
}

const isWord = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toUpperCase() === w;

/**
 * The CTEs of a formatted SELECT in text order (`name AS (SELECT|WITH|(…`), each recursive when
 * its WITH says RECURSIVE. The AST lists its WITH elements without names, in the same order.
 */
export function cteNames(sql: string): CteName[] {
  const list = tokens(sql);
  const found: CteName[] = [];
  const recursiveAt = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    if (isWord(t, 'WITH') && isWord(list[i + 1], 'RECURSIVE')) recursiveAt.add(t.depth);
    if (isWord(t, 'SELECT')) recursiveAt.delete(t.depth);
    const opens = list[i + 2]?.text === '(' && list[i + 2]?.kind === 'punct';
    const body = list[i + 3];
    if ((t.kind === 'word' || t.kind === 'quoted') && isWord(list[i + 1], 'AS') && opens
      && (isWord(body, 'SELECT') || isWord(body, 'WITH') || (body?.kind === 'punct' && body.text === '('))) {
      if (!SIMPLE_NAME.test(t.text)) throw refuse(`name CTEs with letters, digits and _ (got ${t.text})`);
      found.push({ name: t.text, recursive: recursiveAt.has(t.depth) });
    }
  }
  return found;
}

/** The first keyword of a formatted statement (upper case), or '' . */
export function leadingKeyword(sql: string): string {
  return (/^[A-Za-z_]+/.exec(sql.trimStart())?.[0] ?? '').toUpperCase();
}

/** Statements that write or change state, in ClickHouse's dialect or DuckDB's (a user may come from either). */
const WRITE_KEYWORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'ALTER', 'DROP', 'CREATE', 'REPLACE', 'ATTACH', 'DETACH', 'COPY', 'EXPORT',
  'IMPORT', 'INSTALL', 'LOAD', 'FORCE', 'PRAGMA', 'SET', 'RESET', 'USE', 'TRUNCATE', 'RENAME', 'EXCHANGE', 'UNDROP', 'OPTIMIZE',
  'SYSTEM', 'KILL', 'GRANT', 'REVOKE', 'BACKUP', 'RESTORE', 'CHECKPOINT', 'VACUUM', 'CALL', 'BEGIN', 'COMMIT', 'ROLLBACK', 'MOVE',
]);

/**
 * The first word of a statement ClickHouse could not parse, when it names a write or a change of
 * state (after comments): such a statement is refused as one, as the DuckDB console refuses it,
 * rather than answered as a syntax error (`COPY t TO 'file'`, `INSTALL httpfs` are not ClickHouse).
 */
export function unparsedWriteKeyword(sql: string): string | undefined {
  const keyword = leadingKeyword(sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, ''));
  return WRITE_KEYWORDS.has(keyword) ? keyword : undefined;
}

/** EXPLAIN kinds the console runs (not AST: its FORMAT would go to the inner SELECT, not to its output). */
export const EXPLAIN_KINDS = ['SYNTAX', 'QUERY TREE', 'PLAN', 'PIPELINE', 'ESTIMATE'];
const EXPLAIN_OPTIONS = new Set([
  'header', 'description', 'actions', 'indexes', 'projections', 'sorting', 'json', 'compact', 'graph', 'optimize',
  'oneline', 'run_passes', 'dump_passes', 'passes', 'dump_tree', 'dump_ast', 'keep_logical_steps',
]);
const EXPLAIN_HEAD = /^EXPLAIN(?: (SYNTAX|QUERY TREE|PLAN|PIPELINE|ESTIMATE))?(?: ([a-z_]+ = \d{1,6}(?:, [a-z_]+ = \d{1,6})*))?\n/;

/**
 * `EXPLAIN [kind] [name = number, …]` over one SELECT, split into a header the console writes
 * itself and the inner statement (checked like any SELECT); undefined when it is not that form.
 */
export function splitExplain(formatted: string): { header: string; inner: string } | undefined {
  const head = EXPLAIN_HEAD.exec(formatted);
  if (!head) return undefined;
  const kind = head[1];
  if (kind !== undefined && !EXPLAIN_KINDS.includes(kind)) return undefined;
  const options = (head[2] ?? '').split(', ').filter(Boolean).map((o) => o.split(' = '));
  if (options.some(([name]) => !EXPLAIN_OPTIONS.has(name))) return undefined;
  const header = ['EXPLAIN', kind, options.map(([n, v]) => `${n} = ${Number(v)}`).join(', ')].filter(Boolean).join(' ');
  return { header, inner: formatted.slice(head[0].length) };
}

const NAME = '([A-Za-z_][A-Za-z0-9_]*|`[^`\\\\]+`)';
const DESCRIBE = new RegExp(`^DESCRIBE TABLE (?:${NAME}\\.)?${NAME}$`);

/** `DESCRIBE TABLE [db.]name` of a formatted statement, or undefined. */
export function splitDescribe(formatted: string): { database?: string; table: string } | undefined {
  const m = DESCRIBE.exec(formatted);
  if (!m) return undefined;
  const unquote = (s: string | undefined) => (s === undefined ? undefined : s.replace(/^`|`$/g, ''));
  return { database: unquote(m[1]), table: unquote(m[2]) as string };
}

/** A name as an identifier (back-quoted, escaped). */
export function ident(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/**
 * The settings every console statement carries, in this order. A read-only user's profile
 * (deploy/clickhouse/console-user.sql) must let each of them be set (CHANGEABLE_IN_READONLY) or
 * fix it to the same value: a setting set to its current value is not checked.
 */
export function consoleSettings(limits: ConsoleLimits): Array<[string, string]> {
  const seconds = Math.max(0.001, limits.remainingMs / 1000);
  return [
    ['readonly', '1'],
    ['max_execution_time', seconds.toFixed(3)],
    ['max_memory_usage', String(Math.floor(limits.maxMemoryBytes))],
    ['output_format_json_quote_64bit_integers', '1'],
  ];
}

function settingsClause(limits: ConsoleLimits): string {
  return 'SETTINGS ' + consoleSettings(limits).map(([k, v]) => `${k} = ${v}`).join(', ');
}

/** The console's views a statement reads, as CTEs in front of it (the statement's own CTEs shadow them). */
export type ViewDefinitions = ReadonlyArray<readonly [name: string, select: string]>;

function viewPrefix(views: ViewDefinitions): string {
  return views.length === 0 ? '' : `WITH\n${views.map(([name, sql]) => `${ident(name)} AS (\n${sql}\n)`).join(',\n')}\n`;
}

/**
 * A checked SELECT as it runs: wrapped so LIMIT cuts the rows exactly, one row past the cap so
 * the answer knows it was cut. Not max_result_rows: with result_overflow_mode 'break' it stops
 * only at a block's end (65,409 rows for a cap of 11, measured on chDB), and ClickHouse also
 * applies it to the parts of a distributed query a shard answers, which would cut a shard's rows
 * under an outer aggregate and answer wrong, not truncated.
 */
export function selectToRun(formatted: string, limits: ConsoleLimits, views: ViewDefinitions): string {
  return `${viewPrefix(views)}SELECT *\nFROM\n(\n${formatted}\n)\nLIMIT ${limits.maxRows + 1}\n${settingsClause(limits)}`;
}

/** A checked EXPLAIN as it runs (not wrapped: a subquery EXPLAIN is a table function readonly refuses). */
export function explainToRun(header: string, inner: string, limits: ConsoleLimits, views: ViewDefinitions): string {
  const body = views.length === 0 ? inner : `${viewPrefix(views)}SELECT *\nFROM\n(\n${inner}\n)`;
  return `${header}\n${body}\n${settingsClause(limits)}`;
}

/** DESCRIBE of a table, or of a console view's SELECT. */
export function describeToRun(target: { database: string; table: string } | { view: string }, limits: ConsoleLimits): string {
  const what = 'view' in target ? `(\n${target.view}\n)` : `TABLE ${ident(target.database)}.${ident(target.table)}`;
  return `DESCRIBE ${what}\n${settingsClause(limits)}`;
}
