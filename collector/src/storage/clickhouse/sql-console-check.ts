/**
 * Decides whether a console SELECT may run, from the tree ClickHouse itself parsed
 * (`EXPLAIN AST`, which parses and runs nothing), never from the user's text. It passes only if
 * every node is of a kind this walk knows, every function is allowed (sql-console-allowed.ts),
 * every table function is a generator, and every table is one of this database's, an allowed
 * system table or a CTE in scope — so no name can reach a file, a URL, another server, another
 * database or chDB's file overlay of its default database. Anything unrecognised is refused.
 *
 * The tree arrives as one row per node, indented by depth, with `(children N)`: the rows are
 * rebuilt into a tree and every declared child count must hold, so a row a name could have
 * forged (sql-console-text.ts refuses names with escapes) breaks the check instead of passing.
 */
import { errors } from '../../errors.js';
import { IN_FUNCTIONS, isAllowedFunction, isAllowedTableFunction, ALLOWED_SYSTEM_TABLES } from './sql-console-allowed.js';
import type { CteName } from './sql-console-text.js';

export interface AstNode {
  type: string;
  /** What follows the type on its row, without `(children N)`: a name, a value, `(alias a)`. */
  text: string;
  children: AstNode[];
}

/** This database's tables and views (names as stored), and the console's own views. */
export interface ConsoleCatalog {
  database: string;
  tables: ReadonlySet<string>;
  /** Views the console defines in front of the statement (spans, executions …): unqualified names. */
  views: ReadonlySet<string>;
}

const refuse = (why: string) => errors.FT_SQL_REFUSED(why);

/** Node kinds walked through without a check of their own. */
const PLAIN = new Set([
  'SelectWithUnionQuery', 'SelectIntersectExceptQuery', 'ExpressionList', 'TablesInSelectQuery',
  'TablesInSelectQueryElement', 'TableJoin', 'ArrayJoin', 'Subquery', 'Identifier', 'Literal', 'Asterisk',
  'QualifiedAsterisk', 'ColumnsRegexpMatcher', 'ColumnsListMatcher', 'QualifiedColumnsRegexpMatcher',
  'QualifiedColumnsListMatcher', 'ColumnsTransformerList', 'ColumnsExceptTransformer', 'ColumnsReplaceTransformer',
  'ColumnsReplaceTransformer::Replacement', 'OrderByElement', 'WindowListElement', 'WindowDefinition', 'SampleRatio',
]);

/** Kinds refused with a reason of their own. */
const REFUSED: Record<string, string> = {
  Set: 'SETTINGS cannot be changed in the console (it sets the time limit, the row cap and the memory cap itself)',
  QueryParameter: 'query parameters ({name:Type}) are not supported in the console',
  ColumnsApplyTransformer: 'APPLY(…) is not allowed (the parsed statement does not name the function it applies)',
  InterpolateElement: 'INTERPOLATE is not allowed in the console',
};

/** Rebuilds the rows of `EXPLAIN AST` into a tree; refuses rows that do not form one. */
export function parseAst(rows: readonly string[]): AstNode {
  const unreadable = () => refuse('the parsed statement could not be read back (a name with unusual characters?)');
  const stack: Array<{ node: AstNode; declared: number }> = [];
  const all: Array<{ node: AstNode; declared: number }> = [];
  let root: AstNode | undefined;
  for (const row of rows) {
    const depth = row.length - row.trimStart().length;
    const content = row.trimStart();
    const suffix = / \(children (\d+)\)$/.exec(content);
    const body = suffix ? content.slice(0, suffix.index) : content;
    const space = body.indexOf(' ');
    const node: AstNode = { type: space < 0 ? body : body.slice(0, space), text: space < 0 ? '' : body.slice(space + 1), children: [] };
    const entry = { node, declared: suffix ? Number(suffix[1]) : 0 };
    if (depth === 0) {
      if (root) throw unreadable();
      root = node;
    } else {
      if (depth > stack.length) throw unreadable();
      stack[depth - 1].node.children.push(node);
    }
    stack.length = depth;
    stack.push(entry);
    all.push(entry);
  }
  if (!root || all.some((e) => e.node.children.length !== e.declared)) throw unreadable();
  return root;
}

/**
 * Throws FT_SQL_REFUSED saying why when the parsed SELECT may not run; returns the console views
 * it reads (to be defined in front of it).
 */
export function checkSelect(root: AstNode, ctes: readonly CteName[], catalog: ConsoleCatalog): Set<string> {
  if (root.type !== 'SelectWithUnionQuery') throw refuse(`only read statements are allowed, not ${root.type}`);
  const walk = new Walk(ctes, catalog);
  walk.node(root, []);
  if (walk.used !== ctes.length) throw refuse('the statement\'s WITH clauses could not be matched to what ClickHouse parsed');
  return walk.views;
}

/** A CTE with the WITH element it was read from. */
interface Cte {
  name: string;
  node: AstNode;
}

function sameTree(a: AstNode, b: AstNode): boolean {
  return a.type === b.type && a.text === b.text && a.children.length === b.children.length
    && a.children.every((child, i) => sameTree(child, b.children[i]));
}

class Walk {
  used = 0;
  readonly views = new Set<string>();
  constructor(private readonly ctes: readonly CteName[], private readonly catalog: ConsoleCatalog) {}

  node(n: AstNode, scope: readonly string[]): void {
    if (n.type in REFUSED) throw refuse(REFUSED[n.type]);
    switch (n.type) {
      case 'SelectWithUnionQuery': return this.union(n, scope);
      case 'SelectQuery': return void this.select(n, scope);
      case 'TableExpression': return this.tableExpression(n, scope);
      case 'TableIdentifier': return this.table(n.text, scope);
      case 'Function': return this.call(n, scope);
      default:
        if (!PLAIN.has(n.type)) throw refuse(`${describeKind(n.type)} is not allowed in the console`);
        for (const child of n.children) this.node(child, scope);
    }
  }

  /**
   * SELECTs joined by UNION, INTERSECT or EXCEPT. ClickHouse copies the first one's WITH into the
   * others (enable_global_with_statement, on by default) and EXPLAIN AST prints the copies: a
   * WITH element equal to one of the first SELECT's is that CTE again, checked once already.
   */
  private union(n: AstNode, scope: readonly string[], inherited: readonly Cte[] = []): void {
    const [list, ...rest] = n.children;
    if (list?.type !== 'ExpressionList') throw refuse('the parsed statement could not be read back');
    let copies = inherited;
    list.children.forEach((branch, i) => {
      if (branch.type === 'SelectQuery') {
        const own = this.select(branch, scope, copies);
        if (i === 0) copies = [...inherited, ...own];
      } else if (branch.type === 'SelectWithUnionQuery') {
        this.union(branch, scope, copies);
      } else {
        this.node(branch, scope);
      }
    });
    for (const child of rest) this.node(child, scope);
  }

  /**
   * A SELECT's CTEs: each sees the ones before it (and itself when recursive); the rest of the
   * SELECT sees all. Returns the CTEs it defined (copies included).
   */
  private select(n: AstNode, scope: readonly string[], copies: readonly Cte[] = []): Cte[] {
    const withList = n.children.find((c) => c.type === 'ExpressionList' && c.children.some((x) => x.type === 'WithElement'));
    const visible = [...scope];
    const defined: Cte[] = [];
    for (const item of withList?.children ?? []) {
      if (item.type !== 'WithElement') {
        this.node(item, visible);
        continue;
      }
      const copy = copies.find((c) => sameTree(c.node, item));
      if (copy) {
        visible.push(copy.name);
        defined.push(copy);
        continue;
      }
      const cte = this.ctes[this.used++];
      if (!cte) throw refuse('the statement\'s WITH clauses could not be matched to what ClickHouse parsed');
      const inside = cte.recursive ? [...visible, cte.name] : visible;
      for (const child of item.children) this.node(child, inside);
      visible.push(cte.name);
      defined.push({ name: cte.name, node: item });
    }
    for (const child of n.children) if (child !== withList) this.node(child, visible);
    return defined;
  }

  private tableExpression(n: AstNode, scope: readonly string[]): void {
    for (const child of n.children) {
      if (child.type !== 'Function') {
        this.node(child, scope);
        continue;
      }
      const name = nameOf(child);
      if (!isAllowedTableFunction(name)) {
        throw refuse(`${name}() cannot be read from in the console (table functions: numbers, generate_series, primes, values, generateRandom)`);
      }
      for (const arg of child.children) this.node(arg, scope);
    }
  }

  private call(n: AstNode, scope: readonly string[]): void {
    const name = nameOf(n);
    if (!isAllowedFunction(name)) throw refuse(`${name}() is not allowed in the console`);
    const args = n.children[0]?.type === 'ExpressionList' ? n.children[0].children : [];
    for (const child of n.children) {
      if (child !== n.children[0] || !IN_FUNCTIONS.has(name)) {
        this.node(child, scope);
        continue;
      }
      // `x IN t`: a bare name on the right is a table, read like one.
      args.forEach((arg, i) => (i === 1 && arg.type === 'Identifier' ? this.table(arg.text, scope) : this.node(arg, scope)));
    }
  }

  /**
   * A table name as printed (`t`, `db.t`, `t (alias a)`): a CTE in scope, a console view, a table
   * of this database or an allowed system table.
   */
  private table(printed: string, scope: readonly string[]): void {
    const { database, tables, views } = this.catalog;
    const is = (name: string) => printed === name || printed.startsWith(`${name} (alias `);
    if (scope.some(is)) return;
    const view = [...views].find(is);
    if (view !== undefined) {
      this.views.add(view);
      return;
    }
    const names = [...[...tables].flatMap((t) => [t, `${database}.${t}`]), ...[...ALLOWED_SYSTEM_TABLES].map((t) => `system.${t}`)];
    if (names.some(is)) return;
    const shown = printed.replace(/ \(alias .*\)$/, '');
    throw refuse(
      `${shown} is not a table of this database (files, other databases and most system tables cannot be read); `
        + `views: ${[...views].join(', ')}; tables: ${[...tables].sort().join(', ')}; system tables: ${[...ALLOWED_SYSTEM_TABLES].sort().join(', ')}`,
    );
  }
}

/** The function name of a `Function` row: its first word, alone or before `(alias …)`. */
function nameOf(n: AstNode): string {
  const space = n.text.indexOf(' ');
  const name = space < 0 ? n.text : n.text.slice(0, space);
  if (name === '' || (space >= 0 && !n.text.slice(space).startsWith(' (alias '))) {
    throw refuse('the parsed statement could not be read back (a function with an unusual name?)');
  }
  return name;
}

function describeKind(type: string): string {
  return `a ${type.replace(/Query$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} clause`;
}
