/**
 * `flowtrace export --out DIR [--url URL] [--from T] [--to T] [--token T]`: downloads the Parquet
 * files of a RUNNING collector over HTTP (it holds the database's lock: no second process can
 * open the file while it runs) into DIR, as spans.parquet, executions.parquet, logs.parquet and
 * metrics.parquet.
 *
 * All four or none: each file arrives under a hidden temporary name in DIR and all are renamed
 * into place only once every one has arrived whole (a rename within a directory is atomic), so
 * DIR never holds a half-written file or a mix of two runs. Downloads run one after the other, so
 * an export puts one COPY at a time on the collector.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ROWS_HEADER } from './query/export-routes.js';
import { EXPORT_KINDS } from './storage/index.js';

export const DEFAULT_EXPORT_URL = 'http://127.0.0.1:4318';
/** How often a download the collector answers FT_EXPORT_BUSY (another export of it runs) is retried. */
const BUSY_RETRIES = 5;

/** A mistake in the command line: cli.ts prints it with the usage and exits 2. */
export class ExportUsageError extends Error {}

interface ExportOptions {
  out: string;
  url: URL;
  from?: string;
  to?: string;
  token?: string;
}

function optionsFrom(argv: string[], env: NodeJS.ProcessEnv): ExportOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, url: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, token: { type: 'string' } },
    }));
  } catch (error) {
    throw new ExportUsageError((error as Error).message);
  }
  if (!values.out) throw new ExportUsageError('export needs --out DIR, the directory to write the Parquet files to');
  let url: URL;
  try {
    url = new URL(values.url ?? DEFAULT_EXPORT_URL);
  } catch {
    throw new ExportUsageError(`--url must be the collector's address, e.g. ${DEFAULT_EXPORT_URL}; got "${values.url}"`);
  }
  return { out: values.out, url, from: values.from, to: values.to, token: values.token ?? (env.FLOWTRACE_QUERY_TOKEN || undefined) };
}

/** Runs the command; throws an Error whose message says what went wrong (or ExportUsageError). */
export async function runExport(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<void> {
  const options = optionsFrom(argv, env);
  mkdirSync(options.out, { recursive: true });
  const arrived: Array<{ kind: string; partial: string; rows: string }> = [];
  try {
    for (const kind of EXPORT_KINDS) {
      const partial = join(options.out, `.${kind}.parquet.${process.pid}.partial`);
      arrived.push({ kind, partial, rows: '' });
      arrived[arrived.length - 1].rows = await download(options, kind, partial);
    }
  } catch (error) {
    for (const { partial } of arrived) rmSync(partial, { force: true });
    throw error;
  }
  const range = `${options.from ? ` from ${options.from}` : ''}${options.to ? ` to ${options.to}` : ''}`;
  print(`flowtrace: exported${range || ' all history'} from ${options.url.origin} into ${options.out}`);
  for (const { kind, partial, rows } of arrived) {
    const target = join(options.out, `${kind}.parquet`);
    const { size } = statSync(partial);
    renameSync(partial, target);
    print(`  ${`${kind}.parquet`.padEnd(20)} ${`${Number(rows).toLocaleString('en-US')} rows`.padStart(14)}  ${formatBytes(size).padStart(10)}`);
  }
}

/** Downloads one export into `path`; answers its row count as the collector stated it. */
async function download(options: ExportOptions, kind: string, path: string): Promise<string> {
  const url = new URL(`/api/export/${kind}.parquet`, options.url);
  if (options.from) url.searchParams.set('from', options.from);
  if (options.to) url.searchParams.set('to', options.to);
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { headers: options.token ? { authorization: `Bearer ${options.token}` } : {} });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach the collector at ${options.url.origin} (${cause?.message ?? cause?.code ?? (error as Error).message}); is it running? Start it with "flowtrace start", or pass --url`);
    }
    if (response.status === 200 && response.body) {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(path, { mode: 0o600 }));
      const expected = response.headers.get('content-length');
      if (expected !== null && statSync(path).size !== Number(expected)) {
        throw new Error(`the download of ${kind}.parquet ended early (${statSync(path).size} of ${expected} bytes)`);
      }
      return response.headers.get(ROWS_HEADER) ?? '0';
    }
    const answer = await errorOf(response);
    const retryAfter = Number(response.headers.get('retry-after') ?? 1);
    if (answer.code === 'FT_EXPORT_BUSY' && attempt < BUSY_RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(retryAfter, 1), 10) * 1000));
      continue;
    }
    const hint = response.status === 401 ? ' (pass --token T or set FLOWTRACE_QUERY_TOKEN to the collector\'s --query-token)' : '';
    throw new Error(`the collector answered ${response.status} ${answer.code}: ${answer.message} for ${kind}.parquet${hint}`);
  }
}

/** The coded error of an answer, or its status text when the body is not one. */
async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string') return { code: body.code, message: String(body.message ?? '') };
  } catch {
    // not a coded error: say what came
  }
  return { code: response.statusText || 'error', message: text.slice(0, 200) || '(empty body)' };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
