/**
 * The TraceQL subset parser (query/traceql.ts) and its translation into storage's span condition
 * (query/traceql-condition.ts): what Grafana's query builder writes is accepted, the rest is
 * refused with a message that says what and where.
 */
import { describe, expect, it } from 'vitest';
import { parseTraceQL, parseTraceQLField, TraceQLError } from '../../src/query/traceql.js';
import { attributeKeysOf, patternsOf, toSpanCondition } from '../../src/query/traceql-condition.js';
import { renderSpanCondition } from '../../src/storage/span-search-sql.js';

const condition = (q: string) => toSpanCondition(parseTraceQL(q));

describe('TraceQL parser', () => {
  it('reads the query builder’s selector into one condition over a span', () => {
    expect(condition('{ resource.service.name = "api" && name = "GET /" && status = error && duration > 100ms }')).toEqual({
      and: [
        { field: { attribute: 'service.name', scope: 'resource' }, op: '=', value: 'api' },
        { field: { intrinsic: 'name' }, op: '=', value: 'GET /' },
        { field: { intrinsic: 'status' }, op: '=', value: 2 },
        { field: { intrinsic: 'duration' }, op: '>', value: 100_000_000n },
      ],
    });
  });

  it('matches every span with {} and with spaces inside', () => {
    expect(parseTraceQL('{}')).toBeNull();
    expect(parseTraceQL('  {   }  ')).toBeNull();
    expect(condition('{}')).toBeUndefined();
  });

  it('gives && precedence over || and honours parentheses', () => {
    expect(condition('{ .a = "1" || .b = "2" && .c = "3" }')).toEqual({
      or: [
        { field: { attribute: 'a', scope: 'any' }, op: '=', value: '1' },
        { and: [{ field: { attribute: 'b', scope: 'any' }, op: '=', value: '2' }, { field: { attribute: 'c', scope: 'any' }, op: '=', value: '3' }] },
      ],
    });
    expect(condition('{ (.a = "1" || .b = "2") && .c = "3" }')).toEqual({
      and: [
        { or: [{ field: { attribute: 'a', scope: 'any' }, op: '=', value: '1' }, { field: { attribute: 'b', scope: 'any' }, op: '=', value: '2' }] },
        { field: { attribute: 'c', scope: 'any' }, op: '=', value: '3' },
      ],
    });
  });

  it('reads every operator, value type and attribute spelling', () => {
    const one = (q: string) => condition(q) as { field: unknown; op: string; value: unknown };
    expect(one('{ span.http.status_code >= 500 }')).toEqual({ field: { attribute: 'http.status_code', scope: 'span' }, op: '>=', value: 500 });
    expect(one('{ span.ratio < -0.5 }').value).toBe(-0.5);
    expect(one('{ .cached != false }')).toEqual({ field: { attribute: 'cached', scope: 'any' }, op: '!=', value: false });
    expect(one('{ name =~ "GET .*" }').op).toBe('=~');
    expect(one('{ name !~ `a\\d+` }')).toEqual({ field: { intrinsic: 'name' }, op: '!~', value: 'a\\d+' });
    expect(one('{ span."key with space" = "x\\"y" }')).toEqual({ field: { attribute: 'key with space', scope: 'span' }, op: '=', value: 'x"y' });
    expect(one('{ span:name = "x" }').field).toEqual({ intrinsic: 'name' });
    expect(one('{ kind = server }')).toEqual({ field: { intrinsic: 'kind' }, op: '=', value: 2 });
    expect(one('{ status != ok }')).toEqual({ field: { intrinsic: 'status' }, op: '!=', value: 1 });
    expect(one('{ statusMessage = "boom" }').field).toEqual({ intrinsic: 'statusMessage' });
    expect(one('{ resource.k8s.pod-name = "a/b" }').field).toEqual({ attribute: 'k8s.pod-name', scope: 'resource' });
    expect(one('{ .x <= 3 }').op).toBe('<=');
  });

  it('reads durations in every unit, fractions included, in nanoseconds', () => {
    const ns = (d: string) => (condition(`{ duration > ${d} }`) as { value: bigint }).value;
    expect([ns('5ns'), ns('5us'), ns('5µs'), ns('1.5ms'), ns('2s'), ns('1m'), ns('1h')]).toEqual(
      [5n, 5_000n, 5_000n, 1_500_000n, 2_000_000_000n, 60_000_000_000n, 3_600_000_000_000n]);
  });

  it.each([
    ['', 'expected "{"'],
    ['{ name = "x"', 'expected "}"'],
    ['{ name = "x" } | count() > 2', 'pipelines'],
    ['{ name = "x" } && { status = error }', 'only one span selector'],
    ['{ name = "x" } >> { status = error }', 'only one span selector'],
    ['{ name "x" }', 'expected an operator'],
    ['{ name = }', 'expected a value'],
    ['{ = "x" }', 'expected a field'],
    ['{ trace:duration > 1s }', 'unknown field'],
    ['{ foo = "x" }', 'unknown field "foo"'],
    ['{ name = "x }', 'unterminated string'],
    ['{ name = "\\q" }', 'unknown escape'],
    ['{ name = "x" ; }', 'unexpected character ";"'],
    ['{ status = "error" }', 'status compares with error, ok or unset'],
    ['{ status > error }', 'status takes = or !='],
    ['{ duration > 100 }', 'duration compares with a duration'],
    ['{ duration =~ "1" }', 'duration compares with a duration'],
    ['{ name = 5 }', 'name compares with a "string"'],
    ['{ kind = error }', 'kind compares with'],
    ['{ span.a = 5ms }', 'compares with a "string", a number or true/false'],
    ['{ span.a =~ 5 }', 'takes a "regular expression"'],
    ['{ span.a > true }', 'span.a takes = or !='],
    ['{ duration > -5ms }', 'cannot be negative'],
  ])('refuses %j with a message', (q, message) => {
    expect(() => condition(q)).toThrow(TraceQLError);
    expect(() => condition(q)).toThrow(message);
  });

  it('says where the problem is', () => {
    expect(() => parseTraceQL('{ name = "x" && }')).toThrow('at character 17');
  });

  it('refuses nesting deep enough to exhaust the stack, and overlong queries', () => {
    expect(() => parseTraceQL(`{ ${'('.repeat(100)}name = "x"${')'.repeat(100)} }`)).toThrow('too many nested parentheses');
    expect(() => parseTraceQL(`{ name = "${'x'.repeat(10_001)}" }`)).toThrow('longer than');
  });

  it('lists the attributes and regular expressions a query names', () => {
    const expr = parseTraceQL('{ span.a = "1" && (resource.b =~ "x.*" || .c != 2) && name =~ "n+" }');
    expect(attributeKeysOf(expr)).toEqual([{ scope: 'span', key: 'a' }, { scope: 'resource', key: 'b' }, { scope: 'any', key: 'c' }]);
    expect(patternsOf(toSpanCondition(expr))).toEqual(['x.*', 'n+']);
  });

  it('reads a tag name of the tag APIs as a field', () => {
    expect(parseTraceQLField('resource.service.name')).toEqual({ kind: 'attribute', scope: 'resource', key: 'service.name' });
    expect(parseTraceQLField('.http.method')).toEqual({ kind: 'attribute', scope: 'any', key: 'http.method' });
    expect(parseTraceQLField('status')).toEqual({ kind: 'intrinsic', name: 'status' });
    expect(() => parseTraceQLField('span.a = 1')).toThrow(TraceQLError);
  });
});

describe('TraceQL → SQL', () => {
  it('binds every value as a parameter, never as SQL text', () => {
    const hostile = `x'); DROP TABLE span_data; --`;
    const { sql, params } = renderSpanCondition(condition(`{ name = "${hostile}" && span."${hostile}" = "${hostile}" && resource.r =~ "${hostile}" }`)!);
    expect(sql).not.toContain('DROP');
    expect(Object.values(params)).toContain(hostile);
    expect(sql).toMatchInlineSnapshot(`"(name = $c0 AND coalesce(CASE WHEN contains(attributes, $c1) THEN json_extract_string(attributes, $c2) END, large_attribute_text(large_attributes, $c3, $c2)) = $c4 AND regexp_full_match(json_extract_string(resource_attributes, $c5), $c6))"`);
  });

  it('reads a hot attribute from its column when ingest moved it there', () => {
    const { sql } = renderSpanCondition(condition('{ span.flow.node.id = "step-1" || .n > 2 }')!);
    expect(sql).toContain('CASE WHEN coalesce(moved_attributes, 0) & 64 <> 0 THEN node_id ELSE');
    expect(sql).toContain('TRY_CAST(json_extract_string(resource_attributes, $c8) AS DOUBLE) > $c9'); // .n: span or resource
  });

  it('reads service.name of the resource from its column', () => {
    expect(renderSpanCondition(condition('{ .service.name = "a" }')!).sql).toMatch(/ OR service_name = \$c\d\)$/);
    expect(renderSpanCondition(condition('{ resource.service.name = "a" }')!).sql).toBe('service_name = $c0');
  });
});
