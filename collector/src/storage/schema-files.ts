/**
 * Reads the schema folder (schema/README.md): the current state, in the order of
 * schema/order.txt, and the migrations of schema/migrations/order.txt. Pure reading and text:
 * no DuckDB here (schema.ts runs what this returns).
 *
 * Invariants: every current-state line is a file under tables/, indexes/, macros/ or views/, or a
 * `generated:<name>` that schema-generated.ts knows; every `{{NAME}}` in a current-state file is a
 * known placeholder; migration versions never go down, and the current version is the last one.
 */
import { readFileSync } from 'node:fs';
import { GENERATED_STATEMENTS } from './schema-generated.js';
import { SCHEMA_PLACEHOLDERS } from './schema-placeholders.js';

const schemaDir = new URL('./schema/', import.meta.url);
const migrationsDir = new URL('./schema/migrations/', import.meta.url);

/** What a current-state entry creates: tables and indexes once, macros and views at every start. */
export type StateKind = 'table' | 'index' | 'macro' | 'view' | 'generated';

export interface StateEntry {
  kind: StateKind;
  /** The line of order.txt: `tables/span_data.sql`, `generated:attribute-macros`. */
  source: string;
  /** The statements to run, placeholders filled. */
  statements: readonly string[];
}

export interface MigrationStep {
  /** The version a database has once this step's version is done. */
  version: number;
  /** The file under schema/migrations/. */
  file: string;
  sql: string;
}

const KINDS: Readonly<Record<string, StateKind>> = { tables: 'table', indexes: 'index', macros: 'macro', views: 'view' };

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** `sql` with every `{{NAME}}` replaced by `values[NAME]`; an unknown name is an error. */
export function fillPlaceholders(sql: string, values: Readonly<Record<string, string>>, source = 'SQL'): string {
  return sql.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_all, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`${source}: unknown placeholder {{${name}}}`);
    return values[name];
  });
}

let state: StateEntry[] | undefined;

/** The current state, in the order it is created. */
export function currentState(): readonly StateEntry[] {
  state ??= lines(readFileSync(new URL('order.txt', schemaDir), 'utf8')).map((source): StateEntry => {
    if (source.startsWith('generated:')) {
      const make = GENERATED_STATEMENTS[source.slice('generated:'.length)];
      if (make === undefined) throw new Error(`schema/order.txt: no generated statements named ${source}`);
      return { kind: 'generated', source, statements: make() };
    }
    const kind = KINDS[source.split('/')[0]];
    if (kind === undefined || source.split('/').length !== 2) throw new Error(`schema/order.txt: ${source} is not in tables/, indexes/, macros/ or views/`);
    const sql = fillPlaceholders(readFileSync(new URL(source, schemaDir), 'utf8'), SCHEMA_PLACEHOLDERS, source);
    return { kind, source, statements: [sql] };
  });
  return state;
}

let migrations: MigrationStep[] | undefined;

/** Every migration step, in the order they run. */
export function migrationSteps(): readonly MigrationStep[] {
  migrations ??= lines(readFileSync(new URL('order.txt', migrationsDir), 'utf8')).map((line, i, all) => {
    const match = /^(\d+)\s+(\S+\.sql)$/.exec(line);
    if (!match) throw new Error(`schema/migrations/order.txt: "${line}" is not "<version> <file>.sql"`);
    const version = Number(match[1]);
    if (i > 0 && version < Number(all[i - 1].split(/\s+/)[0])) throw new Error(`schema/migrations/order.txt: version ${version} after a higher one`);
    return { version, file: match[2], sql: readFileSync(new URL(match[2], migrationsDir), 'utf8') };
  });
  return migrations;
}

/** The version this build writes: the highest version a migration reaches. */
export function currentSchemaVersion(): number {
  const steps = migrationSteps();
  return steps[steps.length - 1].version;
}

/**
 * The oldest version an upgrade starts from: the one before the first migration (6, the
 * schema of the first flowtrace; no flowtrace ever wrote a database at a lower version).
 */
export function oldestUpgradableVersion(): number {
  return migrationSteps()[0].version - 1;
}

/** The migration steps a database at `version` runs, grouped by the version each group reaches. */
export function pendingMigrations(version: number): Array<{ version: number; steps: MigrationStep[] }> {
  const groups: Array<{ version: number; steps: MigrationStep[] }> = [];
  for (const step of migrationSteps()) {
    if (step.version <= version) continue;
    const last = groups[groups.length - 1];
    if (last?.version === step.version) last.steps.push(step);
    else groups.push({ version: step.version, steps: [step] });
  }
  return groups;
}
