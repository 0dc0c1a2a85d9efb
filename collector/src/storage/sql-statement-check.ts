/**
 * Decides whether a console statement may run, from the statement DuckDB itself parsed
 * (json_serialize_sql), never from its text: quoting, comments, case and whitespace are gone
 * by then. A statement passes only if it is one SELECT (DESCRIBE, SUMMARIZE and SHOW TABLES
 * parse as one) whose every function is on the allowlist (sql-allowed.ts), whose every table
 * is a table or view of this database or a CTE in scope (so no name can fall through to a
 * replacement scan that reads a file), and whose sized calls stay within the generated-bytes
 * budget (sql-generated-size.ts). Anything the walk does not recognise is refused.
 */
import { errors } from '../errors.js';
import { ALLOWED_FUNCTIONS, ALLOWED_TABLE_FUNCTIONS } from './sql-allowed.js';
import { GENERATED_BYTES_LIMIT, generatedBytes, isSizedFunction, type ParsedNode } from './sql-generated-size.js';

/** What the database holds, read from its catalog (names lower-case). */
export interface CatalogNames {
  database: string;
  /** Tables and views of the database's main schema. */
  tables: ReadonlySet<string>;
  /** Macros flowtrace's schema defines. */
  macros: ReadonlySet<string>;
}

const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);
const TABLE_REFS = new Set(['BASE_TABLE', 'JOIN', 'SUBQUERY', 'TABLE_FUNCTION', 'EMPTY', 'EXPRESSION_LIST', 'PIVOT', 'SHOW_REF']);
const EXPRESSIONS = new Set([
  'CONSTANT', 'COLUMN_REF', 'FUNCTION', 'STAR', 'COMPARISON', 'CONJUNCTION', 'OPERATOR', 'CASE', 'CAST', 'SUBQUERY',
  'WINDOW', 'BETWEEN', 'LAMBDA', 'COLLATE', 'POSITIONAL_REFERENCE',
]);

const refuse = (why: string) => errors.FT_SQL_REFUSED(why);
const lower = (value: unknown) => String(value ?? '').toLowerCase();

/**
 * Checks the output of json_serialize_sql for one statement; throws FT_SQL_REFUSED saying why
 * when the statement may not run.
 */
export function checkParsedStatement(parsed: { statements?: unknown[] }, catalog: CatalogNames): void {
  const statements = parsed.statements ?? [];
  if (statements.length !== 1) throw refuse(`send one statement at a time (got ${statements.length})`);
  const walk = new Walk(catalog);
  walk.value((statements[0] as ParsedNode).node, [], false);
  if (walk.generated > GENERATED_BYTES_LIMIT) {
    throw refuse(
      `the statement would build ${Math.ceil(walk.generated / 1024)} KiB from range/repeat/lpad-like calls; ` +
        `the console allows ${GENERATED_BYTES_LIMIT / 1024} KiB (to generate rows, use FROM range(…))`,
    );
  }
}

class Walk {
  generated = 0;
  constructor(private readonly catalog: CatalogNames) {}

  /** Any part of the tree: dispatches on what the object is, walks into everything else. */
  value(value: unknown, scope: string[], inLambda: boolean): void {
    if (Array.isArray(value)) {
      for (const item of value) this.value(item, scope, inLambda);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as ParsedNode;
    if (typeof node.class === 'string') return this.expression(node, scope, inLambda);
    if (typeof node.type === 'string' && node.type.endsWith('_NODE')) return this.queryNode(node, scope, inLambda);
    if (typeof node.type === 'string' && 'sample' in node && 'query_location' in node) return this.tableRef(node, scope, inLambda);
    this.children(node, scope, inLambda);
  }

  private children(node: ParsedNode, scope: string[], inLambda: boolean, skip: string[] = []): void {
    for (const [key, child] of Object.entries(node)) if (!skip.includes(key)) this.value(child, scope, inLambda);
  }

  /** A query: its CTEs see the ones before them (and themselves when recursive), its body sees all. */
  private queryNode(node: ParsedNode, scope: string[], inLambda: boolean): void {
    if (!QUERY_NODES.has(node.type as string)) throw refuse(`a ${lower(node.type).replace(/_/g, ' ')} is not allowed`);
    const ctes = ((node.cte_map as { map?: Array<{ key: string; value: ParsedNode }> } | undefined)?.map ?? []);
    const visible = [...scope];
    for (const { key, value } of ctes) {
      const name = lower(key);
      const body = (value.query as ParsedNode | undefined)?.node as ParsedNode | undefined;
      const recursive = body?.type === 'RECURSIVE_CTE_NODE' && lower(body.cte_name) === name;
      this.value(value, recursive ? [...visible, name] : visible, inLambda);
      visible.push(name);
    }
    if (node.type === 'RECURSIVE_CTE_NODE' || node.type === 'CTE_NODE') visible.push(lower(node.cte_name));
    this.children(node, visible, inLambda, ['cte_map']);
  }

  private tableRef(ref: ParsedNode, scope: string[], inLambda: boolean): void {
    const type = ref.type as string;
    if (!TABLE_REFS.has(type)) throw refuse(`a ${lower(type).replace(/_/g, ' ')} in FROM is not allowed`);
    if (type === 'BASE_TABLE') return this.table(ref, scope);
    if (type === 'SHOW_REF' && !ref.query) {
      // SHOW TABLES, or SHOW of one name.
      const name = lower(ref.table_name).replace(/^"|"$/g, '');
      if (name !== 'tables' && !this.catalog.tables.has(name)) throw refuse(`SHOW ${name} is not allowed; try SHOW TABLES or DESCRIBE a table`);
      return;
    }
    if (type === 'TABLE_FUNCTION') {
      const call = ref.function as ParsedNode | undefined;
      if (!call || call.class !== 'FUNCTION') throw refuse('this table function is not allowed');
      const name = lower(call.function_name);
      if (!ALLOWED_TABLE_FUNCTIONS.has(name) || lower(call.schema) !== '' || lower(call.catalog) !== '') {
        throw refuse(`the table function ${name}() is not allowed (allowed: ${[...ALLOWED_TABLE_FUNCTIONS].join(', ')})`);
      }
      this.value(call.children, scope, inLambda);
      return this.children(ref, scope, inLambda, ['function']);
    }
    this.children(ref, scope, inLambda);
  }

  /** A name in FROM: a CTE in scope, else a table or view of this database — never a file. */
  private table(ref: ParsedNode, scope: string[]): void {
    const name = lower(ref.table_name);
    const schema = lower(ref.schema_name);
    const catalog = lower(ref.catalog_name);
    if (ref.at_clause) throw refuse('time travel (AT …) is not allowed');
    if (schema === '' && catalog === '' && scope.includes(name)) return;
    const ours = (schema === '' || schema === 'main') && (catalog === '' || catalog === this.catalog.database);
    if (!ours || !this.catalog.tables.has(name)) {
      const shown = [catalog, schema, name].filter(Boolean).join('.');
      throw refuse(`"${shown}" is not a table or view of this database (files and other catalogs cannot be read); tables: ${[...this.catalog.tables].sort().join(', ')}`);
    }
  }

  private expression(node: ParsedNode, scope: string[], inLambda: boolean): void {
    const kind = node.class as string;
    if (kind === 'PARAMETER') throw refuse('parameters ($1, ?) are not supported in the console');
    if (!EXPRESSIONS.has(kind)) throw refuse(`a ${lower(kind)} expression is not allowed`);
    if (kind === 'CONSTANT') return;
    if (kind === 'FUNCTION' || kind === 'WINDOW') this.call(node, inLambda);
    if (kind === 'LAMBDA') return this.children(node, scope, true);
    this.children(node, scope, inLambda);
  }

  private call(node: ParsedNode, inLambda: boolean): void {
    const name = lower(node.function_name);
    const qualifier = [lower(node.catalog), lower(node.schema)].filter(Boolean);
    if (qualifier.some((q) => q !== 'main' && q !== this.catalog.database)) throw refuse(`${qualifier.join('.')}.${name}() is not allowed`);
    if (!ALLOWED_FUNCTIONS.has(name) && !this.catalog.macros.has(name)) throw refuse(`${name}() is not allowed in the console`);
    if (node.class !== 'FUNCTION' || !isSizedFunction(name)) return;
    if (inLambda) throw refuse(`${name}() cannot be used inside a lambda (it would run once per list element)`);
    const bytes = generatedBytes(name, (node.children as ParsedNode[] | undefined) ?? []);
    if (typeof bytes === 'string') throw refuse(bytes);
    this.generated += bytes;
  }
}
