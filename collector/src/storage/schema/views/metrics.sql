-- metrics: one row per data point, with readable types and times.
CREATE OR REPLACE VIEW metrics AS
SELECT
  service_name, name, description, unit,
  CASE type WHEN 1 THEN 'gauge' WHEN 2 THEN 'sum' WHEN 3 THEN 'histogram'
            WHEN 4 THEN 'exponential_histogram' WHEN 5 THEN 'summary' END AS type,
  CASE temporality WHEN 1 THEN 'delta' WHEN 2 THEN 'cumulative' END AS temporality,
  is_monotonic,
  CAST(attributes AS JSON) AS attributes, CAST(resource_attributes AS JSON) AS resource_attributes,
  scope_name, scope_version, CAST(scope_attributes AS JSON) AS scope_attributes,
  make_timestamp_ns(start_ns) AS start_time, make_timestamp_ns(time_ns) AS time,
  value, int_value, count, sum, min, max,
  CAST(buckets AS JSON) AS buckets, CAST(exemplars AS JSON) AS exemplars,
  flags, start_ns, time_ns
FROM metric_data;
