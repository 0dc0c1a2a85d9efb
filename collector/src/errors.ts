/**
 * Every coded error the collector answers with, in one place (ingest's included): a code, an
 * HTTP status and a message. Bodies are `{ code, message, statusCode }`. A test checks each key
 * equals its code.
 */

export class FlowtraceError extends Error {
  readonly code: string;
  readonly statusCode: number;
  /** Seconds, for 429/503 answers. */
  readonly retryAfterSeconds?: number;

  constructor(code: string, statusCode: number, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'FlowtraceError';
    this.code = code;
    this.statusCode = statusCode;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  toJSON(): { code: string; message: string; statusCode: number } {
    return { code: this.code, message: this.message, statusCode: this.statusCode };
  }
}

type ErrorFactory = (detail?: string) => FlowtraceError;

function define(code: string, statusCode: number, message: string, retryAfterSeconds?: number): ErrorFactory {
  return (detail?: string) =>
    new FlowtraceError(code, statusCode, detail ? `${message}: ${detail}` : message, retryAfterSeconds);
}

/** The registry: each key is the error's code. */
export const errors = {
  FT_TRACE_NOT_FOUND: define('FT_TRACE_NOT_FOUND', 404, 'No execution with this trace id'),
  FT_SPAN_NOT_FOUND: define('FT_SPAN_NOT_FOUND', 404, 'No span with this id in the execution'),
  FT_FLOW_NOT_FOUND: define('FT_FLOW_NOT_FOUND', 404, 'No executions of this flow'),
  FT_METRIC_NOT_FOUND: define('FT_METRIC_NOT_FOUND', 404, 'No metric of this name from this service'),
  FT_ROUTE_NOT_FOUND: define('FT_ROUTE_NOT_FOUND', 404, 'No such route'),
  FT_BAD_REQUEST: define('FT_BAD_REQUEST', 400, 'Invalid request'),
  FT_BAD_CURSOR: define('FT_BAD_CURSOR', 400, 'Invalid cursor'),
  FT_BAD_FILTER: define('FT_BAD_FILTER', 400, 'Invalid filter'),
  /** Ingest: the body is not the OTLP message it claims to be (protobuf or JSON), or a field has the wrong type. */
  FT_OTLP_UNDECODABLE: define('FT_OTLP_UNDECODABLE', 400, 'The OTLP body could not be decoded'),
  /** Ingest: the body decodes but every span, record or data point in it was rejected (the reasons follow). */
  FT_OTLP_INVALID: define('FT_OTLP_INVALID', 400, 'The OTLP request holds no valid data'),
  FT_ZIPKIN_INVALID: define('FT_ZIPKIN_INVALID', 400, 'The body is not a valid Zipkin v2 JSON list of spans'),
  FT_BAD_ENCODING: define('FT_BAD_ENCODING', 400, 'The body does not match its Content-Encoding'),
  FT_UNSUPPORTED_ENCODING: define('FT_UNSUPPORTED_ENCODING', 415, 'Content-Encoding must be gzip or identity'),
  FT_BODY_TOO_LARGE: define('FT_BODY_TOO_LARGE', 413, 'The request body is larger than the cap'),
  FT_UNSUPPORTED_MEDIA_TYPE: define(
    'FT_UNSUPPORTED_MEDIA_TYPE',
    415,
    'Content-Type must be application/x-protobuf or application/json',
  ),
  FT_QUEUE_FULL: define('FT_QUEUE_FULL', 429, 'The write queue is full; retry later', 1),
  FT_SHUTTING_DOWN: define('FT_SHUTTING_DOWN', 503, 'The collector is shutting down; retry later', 5),
  FT_LIVE_TOO_MANY_CLIENTS: define('FT_LIVE_TOO_MANY_CLIENTS', 503, 'Too many live streams are open (--max-live-clients); retry later', 5),
  FT_EXPORT_BUSY: define('FT_EXPORT_BUSY', 503, 'An export of this kind is already running; retry when it is done', 5),
  FT_WRITE_FAILED: define('FT_WRITE_FAILED', 503, 'The spans could not be stored; retry later', 1),
  /** Ingest: more request bodies are waiting for the ingest workers than the pool holds (ingest/workers/). */
  FT_INGEST_BUSY: define('FT_INGEST_BUSY', 429, 'The ingest workers are busy; retry later', 1),
  /** Ingest: the worker decoding the request crashed or did not answer; it was replaced, nothing was stored. */
  FT_INGEST_WORKER_FAILED: define('FT_INGEST_WORKER_FAILED', 503, 'The request could not be decoded; retry later', 1),
  FT_SQL_REFUSED: define('FT_SQL_REFUSED', 400, 'SQL refused'),
  FT_SQL_ERROR: define('FT_SQL_ERROR', 400, 'SQL error'),
  FT_SQL_TIMEOUT: define('FT_SQL_TIMEOUT', 400, 'The query ran past the time limit and was interrupted'),
  FT_SQL_MEMORY: define('FT_SQL_MEMORY', 400, 'The query made the collector use more memory than the SQL console allows and was interrupted'),
  FT_UNAUTHORIZED: define('FT_UNAUTHORIZED', 401, 'A valid bearer token is required'),
  FT_HOST_NOT_ALLOWED: define('FT_HOST_NOT_ALLOWED', 403, 'Host header refused (see --allowed-hosts)'),
  FT_CONTROL_OFF: define('FT_CONTROL_OFF', 403, 'Control is off: start the collector with --control-token to cancel or replay runs'),
  FT_CONTROL_NO_INSTANCE: define('FT_CONTROL_NO_INSTANCE', 503, 'No instance of the service is connected for control'),
  FT_CONTROL_NOT_ALLOWED: define('FT_CONTROL_NOT_ALLOWED', 409, 'The flow does not allow this'),
  FT_CONTROL_NOT_RUNNING: define('FT_CONTROL_NOT_RUNNING', 409, 'No connected instance is running this execution'),
  FT_CONTROL_CONNECTION_LOST: define('FT_CONTROL_CONNECTION_LOST', 503, "The service's control connection dropped before it answered"),
  FT_CONTROL_NO_ANSWER: define('FT_CONTROL_NO_ANSWER', 504, 'The service did not answer in time'),
  FT_CONTROL_FAILED: define('FT_CONTROL_FAILED', 502, 'The service could not carry out the request'),
  FT_CONTROL_NOT_CONNECTED: define('FT_CONTROL_NOT_CONNECTED', 404, 'No control connection with this instance id'),
  FT_EXECUTION_FINISHED: define('FT_EXECUTION_FINISHED', 409, 'The execution is not running'),
  FT_REPLAY_INPUT_INCOMPLETE: define('FT_REPLAY_INPUT_INCOMPLETE', 400, 'The input holds redacted or truncated values; give them before it runs'),
  FT_INTERNAL: define('FT_INTERNAL', 500, 'Internal error'),
  /** Not an answer anyone reads: the client closed the request before it (nginx's 499). */
  FT_CLIENT_GONE: define('FT_CLIENT_GONE', 499, 'The client closed the request before its answer'),
} as const satisfies Record<string, ErrorFactory>;

export type ErrorCode = keyof typeof errors;
