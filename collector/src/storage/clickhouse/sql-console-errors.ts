/**
 * ClickHouse's errors as the console's FT_SQL_* errors: the time limit, the memory cap and the
 * read-only guards keep their meaning (FT_SQL_TIMEOUT, FT_SQL_MEMORY, FT_SQL_REFUSED); anything
 * else is the statement's own error (FT_SQL_ERROR) with ClickHouse's message, less the echo of
 * the console's helper query.
 */
import { errors, FlowtraceError } from '../../errors.js';

/** ClickHouse error codes the console maps (src/Common/ErrorCodes.cpp). */
export const CODES = {
  SYNTAX_ERROR: '62',
  TIMEOUT_EXCEEDED: '159',
  READONLY: '164',
  MEMORY_LIMIT_EXCEEDED: '241',
  QUERY_IS_PROHIBITED: '392',
  SETTING_CONSTRAINT_VIOLATION: '452',
  UNKNOWN_QUERY_PARAMETER: '456',
  ACCESS_DENIED: '497',
} as const;

const REFUSING = new Set<string>([CODES.READONLY, CODES.QUERY_IS_PROHIBITED, CODES.SETTING_CONSTRAINT_VIOLATION, CODES.ACCESS_DENIED]);
const MAX_MESSAGE = 2_000;

/** The ClickHouse error code of a client error, or of an exception written into a streamed answer. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return code;
  return /Code: (\d+)\./.exec(messageOf(error))?.[1];
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ClickHouse's message without the echo of the helper query and the server version. */
export function cleanMessage(message: string): string {
  const cut = message
    .replace(/:? In scope SELECT formatQuery\([\s\S]*$/, '')
    .replace(/\s*\(version [^)]*\)\s*$/, '')
    .trim();
  return cut.length > MAX_MESSAGE ? `${cut.slice(0, MAX_MESSAGE)}…` : cut;
}

/** The console's error for whatever a statement failed with. */
export function consoleError(error: unknown): FlowtraceError {
  if (error instanceof FlowtraceError) return error;
  const code = codeOf(error);
  const message = cleanMessage(messageOf(error));
  if (code === CODES.TIMEOUT_EXCEEDED) return errors.FT_SQL_TIMEOUT(message);
  if (code === CODES.MEMORY_LIMIT_EXCEEDED) return errors.FT_SQL_MEMORY(message);
  if (code !== undefined && REFUSING.has(code)) return errors.FT_SQL_REFUSED(message);
  if (code === CODES.UNKNOWN_QUERY_PARAMETER) return errors.FT_SQL_REFUSED('query parameters ({name:Type}) are not supported in the console');
  return errors.FT_SQL_ERROR(message);
}
