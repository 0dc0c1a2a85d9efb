/**
 * The ClickHouse console's pure parts, without an engine: reading ClickHouse's formatted text
 * (CTEs, EXPLAIN, DESCRIBE, quoted names), rebuilding the rows of EXPLAIN AST into a tree, the
 * scope of CTEs, and the text it runs. sql-console.test.ts runs the whole console on chDB.
 */
import { describe, expect, it } from 'vitest';
import { checkSelect, parseAst, type ConsoleCatalog } from '../../src/storage/clickhouse/sql-console-check.js';
import {
  consoleSettings, cteNames, selectToRun, splitDescribe, splitExplain, tokens,
} from '../../src/storage/clickhouse/sql-console-text.js';

const catalog: ConsoleCatalog = { database: 'flowtrace', tables: new Set(['span_data']), views: new Set(['spans']) };
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string; message: string });
  }
  throw new Error('not refused');
};

/** The rows of `EXPLAIN AST` for `SELECT * FROM <table>` (as ClickHouse prints them). */
const selectFrom = (table: string) => [
  'SelectWithUnionQuery (children 1)', ' ExpressionList (children 1)', '  SelectQuery (children 2)',
  '   ExpressionList (children 1)', '    Asterisk', '   TablesInSelectQuery (children 1)',
  '    TablesInSelectQueryElement (children 1)', '     TableExpression (children 1)', `      TableIdentifier ${table}`,
];

describe('reading ClickHouse-formatted statements', () => {
  it('finds CTEs in text order, recursive ones marked, and refuses names that are not plain', () => {
    const sql = 'WITH\n    a AS\n    (\n        SELECT 1\n    ),\n    2 AS two\nSELECT *\nFROM\n(\n    WITH RECURSIVE\n        r AS\n        (\n            SELECT 1\n        )\n    SELECT *\n    FROM r\n)';
    expect(cteNames(sql)).toEqual([{ name: 'a', recursive: false }, { name: 'r', recursive: true }]);
    expect(refusal(() => cteNames('WITH\n    `a b` AS\n    (\n        SELECT 1\n    )\nSELECT 1')).message).toMatch(/name CTEs/);
  });

  it('refuses quoted names with escapes or control characters, which EXPLAIN AST would print raw', () => {
    expect(refusal(() => tokens('SELECT `a\\nb`')).message).toMatch(/quoted names/);
    expect(refusal(() => tokens('SELECT "a\\`b"')).message).toMatch(/quoted names/);
    expect(tokens("SELECT 'a\\nb', `plain name`").map((t) => t.kind)).toEqual(['word', 'string', 'punct', 'quoted']);
  });

  it('takes EXPLAIN apart into a header it writes itself and the SELECT it checks', () => {
    expect(splitExplain('EXPLAIN PLAN indexes = 1, actions = 1\nSELECT 1')).toEqual({ header: 'EXPLAIN PLAN indexes = 1, actions = 1', inner: 'SELECT 1' });
    expect(splitExplain('EXPLAIN\nSELECT 1')).toEqual({ header: 'EXPLAIN', inner: 'SELECT 1' });
    expect(splitExplain('EXPLAIN AST\nSELECT 1')).toBeUndefined();
    expect(splitExplain("EXPLAIN PLAN evil = 1\nSELECT 1")).toBeUndefined();
    expect(splitExplain("EXPLAIN PLAN json = 'x'\nSELECT 1")).toBeUndefined();
  });

  it('reads DESCRIBE TABLE of one name, qualified or not, and nothing else', () => {
    expect(splitDescribe('DESCRIBE TABLE spans')).toEqual({ database: undefined, table: 'spans' });
    expect(splitDescribe('DESCRIBE TABLE flowtrace.`span_data`')).toEqual({ database: 'flowtrace', table: 'span_data' });
    expect(splitDescribe("DESCRIBE TABLE file('/etc/hostname')")).toBeUndefined();
    expect(splitDescribe('DESCRIBE TABLE spans\nSETTINGS readonly = 0')).toBeUndefined();
  });
});

describe('the parsed tree', () => {
  it('is rebuilt from its rows, and rows that do not add up are refused', () => {
    const root = parseAst(selectFrom('span_data'));
    expect(root.children[0].children[0].type).toBe('SelectQuery');
    // A forged row (what a newline inside a name would produce) breaks the declared child counts.
    expect(refusal(() => parseAst([...selectFrom('span_data').slice(0, 5), 'b', ...selectFrom('span_data').slice(5)])).message).toMatch(/could not be read back/);
    expect(refusal(() => parseAst([...selectFrom('span_data'), '      TableIdentifier system.users'])).message).toMatch(/could not be read back/);
  });

  it('allows tables of the database, the console views and allowed system tables; refuses any other', () => {
    for (const table of ['span_data', 'flowtrace.span_data', 'spans', 'spans (alias s)', 'system.columns']) {
      expect(() => checkSelect(parseAst(selectFrom(table)), [], catalog), table).not.toThrow();
    }
    expect([...checkSelect(parseAst(selectFrom('spans (alias s)')), [], catalog)]).toEqual(['spans']);
    for (const table of ['system.users', 'other.span_data', 'flowtrace.spans', '/etc/hostname', 'default./etc/hostname', 'span_data_x']) {
      expect(refusal(() => checkSelect(parseAst(selectFrom(table)), [], catalog)).message, table).toMatch(/not a table of this database/);
    }
  });

  it('refuses a statement whose WITH clauses do not match what was parsed', () => {
    expect(refusal(() => checkSelect(parseAst(selectFrom('span_data')), [{ name: 'x', recursive: false }], catalog)).message).toMatch(/WITH clauses/);
  });
});

describe('the text the console runs', () => {
  it('wraps the checked statement under a LIMIT one past the cap, with its views and its limits', () => {
    const limits = { remainingMs: 2_500, maxRows: 100, maxMemoryBytes: 2 ** 29 };
    expect(selectToRun('SELECT 1', limits, [['spans', 'SELECT 2']])).toBe(
      'WITH\n`spans` AS (\nSELECT 2\n)\nSELECT *\nFROM\n(\nSELECT 1\n)\nLIMIT 101\n'
        + 'SETTINGS readonly = 1, max_execution_time = 2.500, max_memory_usage = 536870912, output_format_json_quote_64bit_integers = 1',
    );
    expect(consoleSettings({ ...limits, remainingMs: -5 })[1]).toEqual(['max_execution_time', '0.001']);
  });
});
