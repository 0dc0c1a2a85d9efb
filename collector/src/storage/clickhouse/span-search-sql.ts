/**
 * Span search in ClickHouse's dialect: a condition tree over one span's fields (Grafana's
 * TraceQL subset and Jaeger's search, storage/span-search-sql.ts's SpanCondition) rendered as a
 * WHERE over span_data. Pure; user text only travels as query parameters ({c0:String} …), the
 * SQL text depends only on the shape of the condition. A condition holds for ONE span.
 * An attribute's text is what DuckDB's json_extract_string gives: a string's content, else the
 * value's JSON (numbers, true/false); attributes are stored whole here (the hot ones included),
 * the large ones apart.
 */
import type { CompareOp, SpanCondition, SpanIntrinsic, SpanValue } from '../grafana-reads.js';
import type { Params } from './connection.js';

const INTRINSIC_COLUMNS: Record<SpanIntrinsic, string> = {
  name: 'name',
  service: 'service_name',
  status: 'status_code',
  kind: 'kind',
  duration: '(end_ns - start_ns)',
  statusMessage: 'status_message',
  scopeName: 'scope_name',
};

/** The text of attribute `key` in JSON object text `json` (NULL when absent), as json_extract_string gives it. */
const jsonText = (json: string, key: string): string =>
  `if(JSONHas(${json}, ${key}), if(JSONType(${json}, ${key}) = 'String', JSONExtractString(${json}, ${key}), JSONExtractRaw(${json}, ${key})), NULL)`;

export class SpanConditionRenderer {
  readonly params: Params = {};
  private n = 0;

  bind(value: SpanValue, type: string): string {
    const name = `c${this.n++}`;
    this.params[name] = typeof value === 'bigint' ? value.toString() : value;
    return `{${name}:${type}}`;
  }

  condition(c: SpanCondition): string {
    if ('and' in c) return c.and.length === 0 ? 'true' : `(${c.and.map((x) => this.condition(x)).join(' AND ')})`;
    if ('or' in c) return c.or.length === 0 ? 'false' : `(${c.or.map((x) => this.condition(x)).join(' OR ')})`;
    const f = c.field;
    if ('intrinsic' in f) return this.compare(INTRINSIC_COLUMNS[f.intrinsic], c.op, c.value, f.intrinsic === 'duration' ? 'Int64' : undefined);
    if (f.scope === 'span') return this.compare(this.spanAttribute(f.attribute), c.op, c.value);
    if (f.scope === 'resource') return this.compare(this.resourceAttribute(f.attribute), c.op, c.value);
    return `(${this.compare(this.spanAttribute(f.attribute), c.op, c.value)} OR ${this.compare(this.resourceAttribute(f.attribute), c.op, c.value)})`;
  }

  private spanAttribute(key: string): string {
    const token = this.bind(`${JSON.stringify(key)}:`, 'String');
    const k = this.bind(key, 'String');
    // position() skips the JSON parse for the many rows that lack the key.
    return `coalesce(if(position(attributes, ${token}) > 0, ${jsonText('attributes', k)}, NULL),`
      + ` if(large_attributes IS NOT NULL, ${jsonText('assumeNotNull(large_attributes)', k)}, NULL))`;
  }

  private resourceAttribute(key: string): string {
    if (key === 'service.name') return 'service_name';
    return jsonText('resource_attributes', this.bind(key, 'String'));
  }

  /** `intrinsicType`: the column's own type for a number, undefined for text (attributes and text columns). */
  private compare(expr: string, op: CompareOp, value: SpanValue, intrinsicType?: string): string {
    if (op === '=~' || op === '!~') {
      const match = `match(toString(${expr}), concat('^(?:', ${this.bind(String(value), 'String')}, ')$'))`;
      return op === '=~' ? `ifNull(${match}, false)` : `NOT ifNull(${match}, true)`;
    }
    const sqlOp = op === '!=' ? '!=' : op;
    if (typeof value === 'number' || typeof value === 'bigint') {
      if (intrinsicType !== undefined) return `${expr} ${sqlOp} ${this.bind(value, intrinsicType)}`;
      // As text: chDB refuses to send a JS number beyond 2^53 (9007199254740993 parses to one);
      // ClickHouse reads the Float64 parameter from its decimal text either way.
      return `toFloat64OrNull(toString(${expr})) ${sqlOp} ${this.bind(String(Number(value)), 'Float64')}`;
    }
    if (typeof value === 'boolean') return `toString(${expr}) ${sqlOp} ${this.bind(value ? 'true' : 'false', 'String')}`;
    return `toString(${expr}) ${sqlOp} ${this.bind(value, 'String')}`;
  }
}
