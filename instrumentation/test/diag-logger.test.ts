import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThrottledConsoleDiagLogger } from '../src/index.js';

afterEach(() => { vi.restoreAllMocks(); vi.useRealTimers(); });

describe('the throttled diagnostics logger', () => {
  it('prints a few messages per window, holds back the rest and then says how many it held back', () => {
    vi.useFakeTimers();
    const lines: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { lines.push(a); });
    const logger = new ThrottledConsoleDiagLogger({ perWindow: 2, windowMs: 1_000 });
    for (let i = 0; i < 10; i++) logger.error(`export failed ${i}`, new Error('connect ECONNREFUSED'));
    expect(lines).toEqual([['export failed 0', 'Error: connect ECONNREFUSED'], ['export failed 1', 'Error: connect ECONNREFUSED']]);
    vi.advanceTimersByTime(1_001);
    logger.error('again');
    expect(lines.slice(2)).toEqual([['flowtrace: 8 OpenTelemetry diagnostic messages held back in the last 1 s'], ['again']]);
  });
});
