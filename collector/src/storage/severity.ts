/**
 * The name of an OTLP SeverityNumber (9 → INFO, 10 → INFO2 …), shown for a log record that came
 * without a severityText. Storage keeps severity_text as sent (NULL when absent, since
 * schema/014) and readers name the number: here for JavaScript, the severity_name macro of
 * schema/014_otlp_fidelity.sql for SQL.
 */
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** SeverityText from a SeverityNumber; null for 0 (unspecified) or out of range. */
export function severityTextOf(n: number): string | null {
  if (!Number.isInteger(n) || n < 1 || n > 24) return null;
  const base = Math.floor((n - 1) / 4);
  const step = (n - 1) % 4;
  return SEVERITY_NAMES[base] + (step === 0 ? '' : String(step + 1));
}
