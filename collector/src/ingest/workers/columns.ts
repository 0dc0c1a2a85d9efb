/**
 * Rows of one shape (logical spans, log lines) as columns that cross between threads cheaply:
 * every number, bigint and null flag in typed arrays (their buffers are transferred, not
 * copied), every string once in a shared table (short strings — ids, keys, names, small values
 * — and a field's repeated value, such as a resource's attributes on each of its spans, are
 * stored once however often they occur). Structured clone of the rows themselves costs the
 * receiving thread an object and a string per field, the resource attributes once per span,
 * about 2.5× the main thread's time of these columns (bench/PROFILING.md, "Session 8 — ingest workers").
 *
 * A layout names each field of the row type with its kind, and the compiler holds it complete
 * and exact (Layout<R>): a field added to the row type must be added here before anything builds.
 * Bigints must fit in 64 signed bits (times and counts are checked on ingest); packing throws
 * otherwise, and the caller sends the rows by structured clone instead.
 */

/** How one field crosses. `?` kinds may be null; `strings` is a list of strings (an AttributeList). */
export type FieldKind = 'string' | 'string?' | 'number' | 'number?' | 'boolean?' | 'bigint' | 'bigint?' | 'strings';

type KindOf<T> =
  [T] extends [string] ? 'string'
    : [T] extends [string | null] ? 'string?'
      : [T] extends [number] ? 'number'
        : [T] extends [number | null] ? 'number?'
          : [T] extends [boolean | null] ? 'boolean?'
            : [T] extends [bigint] ? 'bigint'
              : [T] extends [bigint | null] ? 'bigint?'
                : [T] extends [string[]] ? 'strings'
                  : never;

/** Every field of R with the one kind its type allows. */
export type Layout<R> = { readonly [K in keyof R]-?: KindOf<R[K]> };

/** Strings longer than this are stored once only when a field repeats its previous value. */
const SHORT_STRING = 64;

/** The strings of one message, each index once; packed tables refer to them by index. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** The index of `s` in the table (added when new); -1 for null. */
  ref(s: string | null): number {
    if (s === null) return -1;
    if (s.length > SHORT_STRING) {
      this.strings.push(s);
      return this.strings.length - 1;
    }
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.index.set(s, i);
    }
    return i;
  }
}

/** Rows of one layout as columns; `s`, `n`, `b` are row-major (row × fields of that kind). */
export interface PackedRows {
  count: number;
  /** String fields: string table indexes, -1 for null. */
  s: Int32Array;
  /** Number and boolean fields. */
  n: Float64Array;
  /** 1 where a number, boolean or bigint field is null (numbers first, then bigints, per row). */
  nulls: Uint8Array;
  /** Bigint fields. */
  b: BigInt64Array;
  /** List fields: where each row's list starts in `items` (row × lists, plus the end). */
  listStarts: Int32Array;
  items: Int32Array;
}

/** The fields of a layout grouped by how they are stored, in the layout's order. */
interface Plan {
  strings: string[];
  numbers: Array<{ name: string; nullable: boolean; boolean: boolean }>;
  bigints: Array<{ name: string; nullable: boolean }>;
  lists: string[];
}

const plans = new WeakMap<object, Plan>();

function planOf(layout: Readonly<Record<string, FieldKind>>): Plan {
  let plan = plans.get(layout);
  if (plan) return plan;
  plan = { strings: [], numbers: [], bigints: [], lists: [] };
  for (const [name, kind] of Object.entries(layout)) {
    if (kind === 'string' || kind === 'string?') plan.strings.push(name);
    else if (kind === 'number' || kind === 'number?' || kind === 'boolean?') plan.numbers.push({ name, nullable: kind !== 'number', boolean: kind === 'boolean?' });
    else if (kind === 'bigint' || kind === 'bigint?') plan.bigints.push({ name, nullable: kind === 'bigint?' });
    else plan.lists.push(name);
  }
  plans.set(layout, plan);
  return plan;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Packs rows of a layout; their strings go to `table`. Throws a RangeError for a bigint beyond 64 signed bits. */
export function packRows<R>(rows: readonly R[], layout: Layout<R>, table: StringTable): PackedRows {
  const plan = planOf(layout as Readonly<Record<string, FieldKind>>);
  const count = rows.length;
  const S = plan.strings.length;
  const N = plan.numbers.length;
  const B = plan.bigints.length;
  const L = plan.lists.length;
  const s = new Int32Array(count * S);
  const n = new Float64Array(count * N);
  const nulls = new Uint8Array(count * (N + B));
  const b = new BigInt64Array(count * B);
  const listStarts = new Int32Array(count * L + 1);
  let itemCount = 0;
  for (let r = 0; r < count; r++) {
    const row = rows[r] as Record<string, unknown>;
    for (let f = 0; f < L; f++) itemCount += (row[plan.lists[f]] as string[]).length;
  }
  const items = new Int32Array(itemCount);
  // A field's previous long value: a resource's or scope's JSON is the same string on each of its rows.
  const lastValue: Array<string | null> = new Array(S).fill(null);
  const lastIndex = new Int32Array(S);
  let item = 0;
  for (let r = 0; r < count; r++) {
    const row = rows[r] as Record<string, unknown>;
    for (let f = 0; f < S; f++) {
      const v = row[plan.strings[f]] as string | null;
      if (v !== null && v.length > SHORT_STRING && v === lastValue[f]) {
        s[r * S + f] = lastIndex[f];
      } else {
        const i = table.ref(v);
        s[r * S + f] = i;
        lastValue[f] = v;
        lastIndex[f] = i;
      }
    }
    for (let f = 0; f < N; f++) {
      const v = row[plan.numbers[f].name] as number | boolean | null;
      if (v === null) nulls[r * (N + B) + f] = 1;
      else n[r * N + f] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
    for (let f = 0; f < B; f++) {
      const v = row[plan.bigints[f].name] as bigint | null;
      if (v === null) {
        nulls[r * (N + B) + N + f] = 1;
      } else {
        if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`${plan.bigints[f].name} ${v} does not fit in 64 bits`);
        b[r * B + f] = v;
      }
    }
    for (let f = 0; f < L; f++) {
      listStarts[r * L + f] = item;
      const list = row[plan.lists[f]] as string[];
      for (let i = 0; i < list.length; i++) items[item++] = table.ref(list[i]);
    }
  }
  listStarts[count * L] = item;
  return { count, s, n, nulls, b, listStarts, items };
}

/** The buffers of packed rows, to transfer with the message that carries them. */
export function buffersOf(rows: PackedRows): ArrayBuffer[] {
  return [rows.s.buffer, rows.n.buffer, rows.nulls.buffer, rows.b.buffer, rows.listStarts.buffer, rows.items.buffer] as ArrayBuffer[];
}

/** Builds row `r` of packed columns as one object literal (generated per layout: see rowBuilderOf). */
type RowBuilder = (s: Int32Array, n: Float64Array, nulls: Uint8Array, b: BigInt64Array, listStarts: Int32Array, items: Int32Array, strings: readonly string[], r: number) => unknown;

const builders = new WeakMap<Plan, RowBuilder>();

/**
 * The function that builds one row of a plan as an object literal. Generated once per layout:
 * an object literal gets its fields in one step and one hidden class, where assigning 40 fields by
 * computed name (the keyed stores of a generic loop) cost the main thread 4–5× as much
 * (bench/PROFILING.md). The generated text holds only the layout's field names, checked to be
 * identifiers, and numbers: the layouts are constants of this package, never input.
 */
function rowBuilderOf(plan: Plan): RowBuilder {
  let build = builders.get(plan);
  if (build) return build;
  const S = plan.strings.length;
  const N = plan.numbers.length;
  const B = plan.bigints.length;
  const L = plan.lists.length;
  const fields: string[] = [];
  const name = (field: string): string => {
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(field)) throw new Error(`layout field ${JSON.stringify(field)} is not an identifier`);
    return field;
  };
  plan.strings.forEach((f, i) => fields.push(`${name(f)}: (i = s[rs + ${i}]) < 0 ? null : strings[i]`));
  plan.numbers.forEach((f, i) => {
    const value = f.boolean ? `n[rn + ${i}] === 1` : `n[rn + ${i}]`;
    fields.push(`${name(f.name)}: ${f.nullable ? `nulls[rz + ${i}] === 1 ? null : ` : ''}${value}`);
  });
  plan.bigints.forEach((f, i) => fields.push(`${name(f.name)}: ${f.nullable ? `nulls[rz + ${N + i}] === 1 ? null : ` : ''}b[rb + ${i}]`));
  plan.lists.forEach((f, i) => fields.push(`${name(f)}: list(listStarts[rl + ${i}], listStarts[rl + ${i + 1}], items, strings)`));
  const body = `let i; const rs = r * ${S}, rn = r * ${N}, rz = r * ${N + B}, rb = r * ${B}, rl = r * ${L};\n`
    + `return {\n  ${fields.join(',\n  ')}\n};`;
  const make = new Function('list', `return function row(s, n, nulls, b, listStarts, items, strings, r) {\n${body}\n};`) as (list: typeof listOf) => RowBuilder;
  build = make(listOf);
  builders.set(plan, build);
  return build;
}

function listOf(from: number, to: number, items: Int32Array, strings: readonly string[]): string[] {
  const list = new Array<string>(to - from);
  for (let i = from; i < to; i++) list[i - from] = strings[items[i]];
  return list;
}

/** The rows again, each field as it was packed (strings from the message's table). */
export function unpackRows<R>(packed: PackedRows, layout: Layout<R>, strings: readonly string[]): R[] {
  const build = rowBuilderOf(planOf(layout as Readonly<Record<string, FieldKind>>));
  const { count, s, n, nulls, b, listStarts, items } = packed;
  const out = new Array<R>(count);
  for (let r = 0; r < count; r++) out[r] = build(s, n, nulls, b, listStarts, items, strings, r) as R;
  return out;
}
