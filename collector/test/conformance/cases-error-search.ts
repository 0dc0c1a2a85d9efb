/**
 * The execution list's text search scoped to errors (ExecutionFilter.textScope = 'errors'): the
 * text is looked for only in the execution's own fields (trace id, flow, its error message) and
 * its error texts — a failed span's status message, an exception event's message, an error-level
 * console line — never in names, attribute values, payloads or other lines. Every engine answers
 * the same runs; the expected ones are the runs each case wrote the text into, and where.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionFilter, Storage } from '../../src/storage/contract.js';
import type { LineSpec, SpanSpec } from './batches.js';
import { sorted, write, type OpenStore } from './harness.js';
import { flowRun, HOUR_MS, type Run } from './scenarios.js';

/** The text each run holds, in one place only. */
const TEXT = {
  statusMessage: 'Issuer declined the card',
  exception: 'Ledger lock timed out after 504 tries',
  errorLine: 'Quota exhausted for tenant Q7',
} as const;

interface ErrorCorpus {
  runs: Run[];
  spans: SpanSpec[];
  lines: LineSpec[];
  /** A node failed with TEXT.statusMessage as its status message. */
  failed: Run;
  /** A node (status OK) recorded an exception event with TEXT.exception. */
  withException: Run;
  /** An ERROR console line holds TEXT.errorLine. */
  withErrorLine: Run;
  /** An INFO console line holds TEXT.errorLine: not an error text. */
  withInfoLine: Run;
  /** A payload (an attribute over 256 characters) holds TEXT.statusMessage, on a run that succeeded. */
  withPayload: Run;
}

function errorCorpus(nowMs: number): ErrorCorpus {
  const at = (hours: number): number => nowMs - 2 * 24 * HOUR_MS + hours * HOUR_MS;
  const failed = flowRun({ flow: 'checkout', startMs: at(1), status: 'error' });
  failed.nodes[1].statusMessage = TEXT.statusMessage;
  const withException = flowRun({ flow: 'ledger', startMs: at(10) });
  withException.nodes[0].exceptionMessage = TEXT.exception;
  const withErrorLine = flowRun({ flow: 'quota', startMs: at(20), lineText: 'plain line' });
  const withInfoLine = flowRun({ flow: 'quota', startMs: at(30), lineText: 'plain line' });
  const line = (run: Run, severity: number): LineSpec => ({
    traceId: run.traceId, spanId: run.nodes[0].spanId, timeNs: run.nodes[0].startNs + 5_000n, body: TEXT.errorLine, severity, service: run.service,
  });
  const payload = `{"request":"${TEXT.statusMessage} ${'x'.repeat(300)}"}`;
  const withPayload = flowRun({ flow: 'checkout', startMs: at(40), nodeAttributes: [{ 'flow.node.input': payload }] });
  const plain = flowRun({ flow: 'checkout', startMs: at(41) });
  const runs = [failed, withException, withErrorLine, withInfoLine, withPayload, plain];
  return {
    runs,
    spans: runs.flatMap((r) => r.spans),
    lines: [...runs.flatMap((r) => r.lines), line(withErrorLine, 17), line(withInfoLine, 9)],
    failed, withException, withErrorLine, withInfoLine, withPayload,
  };
}

export function errorSearchCases(open: OpenStore): void {
  describe('execution list: text search in errors only', () => {
    let storage: Storage;
    let corpus: ErrorCorpus;
    const found = async (filter: Omit<ExecutionFilter, 'limit'>): Promise<string[]> => {
      const page = await storage.executions.list({ limit: 100, ...filter });
      expect(page.hasMore).toBe(false);
      for (let i = 1; i < page.executions.length; i++) expect(page.executions[i].startNs <= page.executions[i - 1].startNs).toBe(true);
      return sorted(page.executions.map((e) => e.traceId));
    };
    const idsOf = (...runs: Run[]): string[] => sorted(runs.map((r) => r.traceId));
    beforeAll(async () => {
      storage = await open();
      corpus = errorCorpus(Date.now());
      await write(storage, { spans: corpus.spans, lines: corpus.lines });
    });
    afterAll(() => storage?.close());

    it('finds a run by a failed span\'s status message, but not a run whose payload alone holds the text', async () => {
      const text = 'DECLINED THE CARD';
      expect(await found({ text, textScope: 'errors' })).toEqual(idsOf(corpus.failed));
      expect(await found({ text })).toEqual(idsOf(corpus.failed, corpus.withPayload));
      expect(await found({ text, textScope: 'all' })).toEqual(idsOf(corpus.failed, corpus.withPayload));
    });

    it('finds runs by an exception event\'s message and by an error-level console line only', async () => {
      expect(await found({ text: 'lock timed out after 504', textScope: 'errors' })).toEqual(idsOf(corpus.withException));
      expect(await found({ text: 'quota exhausted', textScope: 'errors' })).toEqual(idsOf(corpus.withErrorLine));
      expect(await found({ text: 'quota exhausted' })).toEqual(idsOf(corpus.withErrorLine, corpus.withInfoLine));
    });

    it('matches the run\'s own trace id and flow, and not span names, attributes or other lines', async () => {
      expect(await found({ text: corpus.withPayload.traceId, textScope: 'errors' })).toEqual(idsOf(corpus.withPayload));
      expect(await found({ text: 'ledger', textScope: 'errors' })).toEqual(idsOf(corpus.withException));
      expect(await found({ text: 'plain line', textScope: 'errors' })).toEqual([]);
      expect(await found({ text: 'step-0', textScope: 'errors' })).toEqual([]);
      expect(await found({ text: 'step-0' })).toHaveLength(corpus.runs.length);
    });

    it('combines with the other filters and pages by cursor', async () => {
      expect(await found({ text: 'declined the card', textScope: 'errors', flow: ['ledger'] })).toEqual([]);
      expect(await found({ text: 'declined the card', textScope: 'errors', status: ['error'] })).toEqual(idsOf(corpus.failed));
      const anyError = { text: 'e', textScope: 'errors' as const, limit: 1 };
      const seen: string[] = [];
      let cursor: ExecutionFilter['cursor'];
      for (let n = 0; n < 10; n++) {
        const page = await storage.executions.list({ ...anyError, cursor });
        seen.push(...page.executions.map((e) => e.traceId));
        if (!page.hasMore) break;
        const last = page.executions[page.executions.length - 1];
        cursor = { startNs: last.startNs, traceId: last.traceId };
      }
      // 'e' is in every flow name but 'quota' and in each error text (a trace id matches only whole).
      const expected = corpus.runs.filter((r) => r.flow !== 'quota' || r === corpus.withErrorLine);
      expect(expected).toHaveLength(corpus.runs.length - 1);
      expect(sorted(seen)).toEqual(idsOf(...expected));
      expect(new Set(seen).size).toBe(seen.length);
    });
  });
}
