import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATTR_LOG_CONSOLE_METHOD, REDACTED_VALUE, TRUNCATION_MARKER } from '../src/conventions.js';
import { installConsoleCapture, node, runFlow, uninstallConsoleCapture } from '../src/index.js';
import { internalError } from '../src/runtime.js';
import { sleep, useTestTelemetry } from './fixtures/telemetry.js';

const t = useTestTelemetry();
const printed: unknown[][] = [];
beforeAll(() => {
  // Stand-ins for the real console methods, installed before capture so capture wraps them.
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => { printed.push(args); });
  }
  installConsoleCapture();
});
afterAll(() => {
  uninstallConsoleCapture();
  vi.restoreAllMocks();
});
beforeEach(() => {
  t.reset();
  printed.length = 0;
  t.configure();
});

describe('console capture', () => {
  it('turns console lines inside a node into log records on that node span with severity and text, and still prints them', async () => {
    await runFlow({ id: 'talkative' }, null, () => node({ id: 'speaker' }, () => {
      console.log('hello %s', 'world', { n: 1 });
      console.warn('careful');
      console.error(new Error('bad thing'));
      console.debug('details');
    }));
    const speaker = t.span('speaker').spanContext();
    const lines = t.lines();
    expect(lines.map((l) => [l.severityNumber, l.severityText, l.attributes[ATTR_LOG_CONSOLE_METHOD]])).toEqual([
      [SeverityNumber.INFO, 'INFO', 'log'],
      [SeverityNumber.WARN, 'WARN', 'warn'],
      [SeverityNumber.ERROR, 'ERROR', 'error'],
      [SeverityNumber.DEBUG, 'DEBUG', 'debug'],
    ]);
    expect(lines[0].body).toBe('hello world { n: 1 }');
    expect(String(lines[2].body)).toContain('Error: bad thing');
    for (const l of lines) {
      expect(l.spanContext?.spanId).toBe(speaker.spanId);
      expect(l.spanContext?.traceId).toBe(speaker.traceId);
    }
    expect(printed.map((p) => p[0])).toEqual(['hello %s', 'careful', expect.any(Error), 'details']);
  });

  it('ties lines outside any node to the root span', async () => {
    await runFlow({ id: 'root-talks' }, null, () => { console.info('from root'); });
    expect(t.lines()[0].spanContext?.spanId).toBe(t.span('root-talks').spanContext().spanId);
  });

  it('never mixes lines of concurrent executions', async () => {
    const run = (n: number): Promise<void> => runFlow({ id: `c${n}` }, null, async () => {
      for (let i = 0; i < 5; i++) {
        await sleep(Math.random() * 4);
        await node({ id: `c${n}-step` }, async () => {
          await sleep(Math.random() * 4);
          console.log(`flow ${n} line ${i}`);
        });
      }
    });
    await Promise.all([1, 2, 3, 4].map(run));
    for (const n of [1, 2, 3, 4]) {
      const traceId = t.spans().find((s) => s.name === `c${n}`)?.spanContext().traceId;
      const mine = t.lines().filter((l) => l.spanContext?.traceId === traceId).map((l) => l.body);
      expect(mine).toEqual([0, 1, 2, 3, 4].map((i) => `flow ${n} line ${i}`));
    }
  });

  it('records nothing for lines outside an execution', () => {
    console.log('nobody listens');
    expect(t.lines()).toHaveLength(0);
    expect(printed).toHaveLength(1);
  });

  it('records nothing when console capture is turned off, but still prints', async () => {
    t.configure({ console: false });
    await runFlow({ id: 'quiet' }, null, () => { console.log('printed only'); });
    expect(t.lines()).toHaveLength(0);
    expect(printed).toHaveLength(1);
  });

  it('caps long lines and redacts secrets in them', async () => {
    t.configure({ maxConsoleLength: 50 });
    await runFlow({ id: 'long-line' }, null, () => {
      console.log('x'.repeat(500));
      console.log('auth: Bearer abcdef123456');
    });
    const [long, secret] = t.lines();
    expect(long.body).toBe('x'.repeat(50) + TRUNCATION_MARKER);
    expect(secret.body).toBe(`auth: ${REDACTED_VALUE}`);
  });

  it('ties a line written after its node ended to that node', async () => {
    let later: Promise<void> = Promise.resolve();
    await runFlow({ id: 'fire-and-forget' }, null, () => node({ id: 'early' }, () => {
      later = sleep(5).then(() => console.log('late line'));
    }));
    await later;
    expect(t.lines().map((l) => [l.body, l.spanContext?.spanId])).toEqual([['late line', t.span('early').spanContext().spanId]]);
  });

  it("does not turn the library's own diagnostics into console lines of the user's span", async () => {
    diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
    try {
      await runFlow({ id: 'diagnosed' }, null, () => { internalError('a test', new Error('simulated')); });
    } finally {
      diag.disable();
    }
    expect(printed.some((p) => String(p[0]).includes('instrumentation failure in a test'))).toBe(true);
    expect(t.lines()).toHaveLength(0);
  });
});
