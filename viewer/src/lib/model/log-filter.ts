/**
 * Filtering console lines by severity and text, for the execution-wide console and the logs
 * page alike. Severities are OTel's numbers: 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn,
 * 17–20 error, 21–24 fatal; 0 (unspecified) counts as info, as a plain console.log is.
 */

export const SEVERITY_LEVELS = [
  { name: 'all', min: 0 },
  { name: 'debug', min: 5 },
  { name: 'info', min: 9 },
  { name: 'warn', min: 13 },
  { name: 'error', min: 17 },
] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number]['name'];

/** The level a line is drawn with. */
export function levelOf(severityNumber: number): 'error' | 'warn' | 'info' | 'debug' {
  if (severityNumber >= 17) return 'error';
  if (severityNumber >= 13) return 'warn';
  if (severityNumber > 0 && severityNumber < 9) return 'debug';
  return 'info';
}

export function minSeverity(level: SeverityLevel): number {
  return SEVERITY_LEVELS.find((l) => l.name === level)?.min ?? 0;
}

/** Lines at `level` or above whose body (or extra text, e.g. the span's name) holds `text`, case-insensitive. */
export function filterLines<T extends { severityNumber: number; body: string }>(
  lines: readonly T[], level: SeverityLevel, text: string, extra: (line: T) => string = () => '',
): T[] {
  const min = minSeverity(level);
  const term = text.trim().toLowerCase();
  return lines.filter((l) => (l.severityNumber === 0 ? 9 : l.severityNumber) >= min
    && (term === '' || l.body.toLowerCase().includes(term) || extra(l).toLowerCase().includes(term)));
}
