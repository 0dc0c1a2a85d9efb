import { describe, expect, it } from 'vitest';
import { errors, FlowtraceError } from '../src/errors.js';

describe('the error registry', () => {
  it.each(Object.entries(errors))('%s builds an error whose code is its key', (key, make) => {
    const error = make('detail');
    expect(error).toBeInstanceOf(FlowtraceError);
    expect(error.code).toBe(key);
    expect(error.statusCode).toBeGreaterThanOrEqual(400);
    expect(error.toJSON()).toEqual({ code: key, message: error.message, statusCode: error.statusCode });
    expect(error.message).toContain('detail');
  });

  it('gives retryable errors a Retry-After', () => {
    expect(errors.FT_QUEUE_FULL().retryAfterSeconds).toBeGreaterThan(0);
    expect(errors.FT_SHUTTING_DOWN().retryAfterSeconds).toBeGreaterThan(0);
  });
});
