/**
 * Coded errors of the ingest module. Every failure to decode or accept a request body is an
 * IngestError with a stable code and the HTTP status the route answers with; the route turns
 * it into `{ code, message, statusCode }`. (To be merged into the collector's error registry.)
 */

/** Codes of ingest errors, each with its HTTP status. */
export const INGEST_ERROR_STATUS = {
  /** The body is not a decodable OTLP protobuf or JSON message. */
  FT_OTLP_UNDECODABLE: 400,
  /** The body decodes but holds nothing valid (every span or record rejected). */
  FT_OTLP_INVALID: 400,
} as const;

export type IngestErrorCode = keyof typeof INGEST_ERROR_STATUS;

/** An ingest failure with a code and the HTTP status to answer with. */
export class IngestError extends Error {
  readonly code: IngestErrorCode;
  readonly statusCode: number;

  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
    this.code = code;
    this.statusCode = INGEST_ERROR_STATUS[code];
  }
}

/** The body could not be decoded as the OTLP message it claims to be. */
export function undecodableError(message: string, cause?: unknown): IngestError {
  return new IngestError('FT_OTLP_UNDECODABLE', message, cause === undefined ? undefined : { cause });
}

/** The body decoded but nothing in it is valid. */
export function invalidError(message: string): IngestError {
  return new IngestError('FT_OTLP_INVALID', message);
}

/** True when `err` is an IngestError (also across module copies). */
export function isIngestError(err: unknown): err is IngestError {
  return err instanceof IngestError;
}
