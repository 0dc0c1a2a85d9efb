/**
 * JSON schemas of the metrics routes (metrics-routes.ts): their query strings and answers, as
 * api/wire-types.ts MetricList and MetricSeriesResult describe them.
 */

const nullableString = { type: ['string', 'null'] } as const;
const attributes = { type: 'object', additionalProperties: true } as const;
const time = { type: 'string', maxLength: 64, description: 'ISO 8601 or epoch milliseconds' } as const;

const metricShape = {
  serviceName: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string', enum: ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'] },
  unit: nullableString,
  description: nullableString,
  temporality: { type: ['string', 'null'], enum: ['delta', 'cumulative', null] },
  isMonotonic: { type: ['boolean', 'null'] },
  pointCount: { type: 'integer' },
  firstTime: { type: 'string', format: 'date-time' },
  lastTime: { type: 'string', format: 'date-time' },
} as const;

export const metricListQuery = {
  type: 'object',
  properties: { from: time, to: time },
  additionalProperties: false,
} as const;

export const metricListResponse = {
  type: 'object',
  properties: {
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...metricShape,
          seriesCount: { type: 'integer' },
          lastValue: { type: ['number', 'null'] },
          exemplarCount: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const metricSeriesQuery = {
  type: 'object',
  properties: {
    service: { type: 'string', minLength: 1, maxLength: 500 },
    name: { type: 'string', minLength: 1, maxLength: 500 },
    from: time,
    to: time,
    bucket: { type: 'string', pattern: '^[0-9]{1,6}(s|m|h|d)?$', description: '30s, 5m, 1h, 1d or seconds; about 60 buckets by default' },
    maxSeries: { type: 'integer', minimum: 1, maximum: 50, default: 20 },
  },
  required: ['service', 'name'],
  additionalProperties: false,
} as const;

const measure = { type: 'string', enum: ['value', 'rate', 'change', 'p95', 'p50', 'avg'] } as const;

export const metricSeriesResponse = {
  type: 'object',
  properties: {
    metric: { type: 'object', properties: metricShape },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    bucketSeconds: { type: 'integer' },
    bucketStarts: { type: 'array', items: { type: 'string', format: 'date-time' } },
    measures: { type: 'array', items: measure },
    series: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          attributes,
          resource: attributes,
          values: { type: 'object', additionalProperties: { type: 'array', items: { type: ['number', 'null'] } } },
        },
      },
    },
    seriesCount: { type: 'integer' },
    truncated: { type: 'boolean' },
    exemplars: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          traceId: { type: 'string' },
          spanId: nullableString,
          time: { type: 'string', format: 'date-time' },
          timeUnixNano: { type: 'string' },
          value: { type: ['number', 'null'] },
          attributes,
          filteredAttributes: attributes,
        },
      },
    },
    exemplarsTruncated: { type: 'boolean' },
  },
} as const;
