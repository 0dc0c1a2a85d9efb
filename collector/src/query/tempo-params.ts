/**
 * Query parameters of the Tempo routes that JSON schema alone cannot check: unix-second time
 * windows (Grafana sends whole seconds) and counts with a range. Bad input is a 400 (GrafanaInputError).
 */
import { GrafanaInputError } from './grafana-errors.js';

/** Unix seconds as Tempo takes them (digits only; the schema's pattern). */
export const SECONDS = { type: 'string', pattern: '^[0-9]{0,12}$' } as const;
/** A count such as limit or spss (digits only; the range is checked by countOf). */
export const COUNT = { type: 'string', pattern: '^[0-9]{0,6}$' } as const;

/** A span-start window from optional unix seconds, the end second included. */
export function windowOf(start?: string, end?: string): { fromNs?: bigint; toNs?: bigint } {
  const fromNs = start ? BigInt(start) * 1_000_000_000n : undefined;
  const toNs = end ? (BigInt(end) + 1n) * 1_000_000_000n - 1n : undefined;
  if (fromNs !== undefined && toNs !== undefined && toNs < fromNs) throw new GrafanaInputError('end is before start');
  return { fromNs, toNs };
}

/** A count parameter: the fallback when absent, else a whole number from 1 to max. */
export function countOf(text: string | undefined, fallback: number, max: number, name: string): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (n < 1 || n > max) throw new GrafanaInputError(`${name} must be from 1 to ${max}`);
  return n;
}
