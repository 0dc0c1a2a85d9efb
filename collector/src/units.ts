/** Parsing of human units on the command line: durations (7d, 12h, 30s, 500ms) and sizes (5GB, 20MiB). */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const SIZE_UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, k: 1024, m: 1024 ** 2, g: 1024 ** 3,
};

/** Milliseconds of "7d", "12h", "30m", "45s", "500ms" (a bare number is seconds). */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration like 7d, 12h, 30m, 45s or 500ms`);
  return Math.round(Number(match[1]) * DURATION_UNITS[(match[2] ?? 's').toLowerCase()]);
}

/** Bytes of "5GB", "20MiB", "512k" (a bare number is bytes). */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)?\s*$/i.exec(text);
  const unit = (match?.[2] ?? 'b').toLowerCase();
  if (!match || SIZE_UNITS[unit] === undefined) throw new Error(`"${text}" is not a size like 5GB, 20MiB or 512k`);
  return Math.round(Number(match[1]) * SIZE_UNITS[unit]);
}
