/**
 * Time conversions and formats used across the viewer. Epoch milliseconds as floats keep
 * microsecond precision (1.7e15 µs < 2^53), so nanosecond strings are cut to µs once.
 */

/** Epoch nanoseconds (decimal string) → epoch milliseconds with µs precision. */
export function nsToMs(ns: string): number {
  if (ns.length <= 3) return Number(ns) / 1e6;
  return Number(ns.slice(0, -3)) / 1000;
}

/** A duration for humans: 850µs, 12.3ms, 4.21s, 3m 05s, 2h 10m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 10) return `${trim(ms.toFixed(2))}ms`;
  if (ms < 1000) return `${trim(ms.toFixed(1))}ms`;
  const s = ms / 1000;
  if (s < 60) return `${trim(s.toFixed(s < 10 ? 2 : 1))}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

function trim(n: string): string {
  return n.includes('.') ? n.replace(/\.?0+$/, '') : n;
}

/** "12s ago", "5m ago", "3h ago", "2d ago" relative to `now`. */
export function formatRelative(ms: number, now: number): string {
  const d = Math.max(0, now - ms) / 1000;
  if (d < 5) return 'just now';
  if (d < 60) return `${Math.floor(d)}s ago`;
  if (d < 3600) return `${Math.floor(d / 60)}m ago`;
  if (d < 86400) return `${Math.floor(d / 3600)}h ago`;
  return `${Math.floor(d / 86400)}d ago`;
}

/** Exact local time with milliseconds, for tooltips and headers. */
export function formatExact(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** Clock time only (HH:MM:SS.mmm), for console lines. */
export function formatClock(ms: number): string {
  return formatExact(ms).slice(11);
}
