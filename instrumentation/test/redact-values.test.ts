import { SpanStatusCode } from '@opentelemetry/api';
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as C from '../src/conventions.js';
import { installConsoleCapture, runFlow, runNode, traceHttpHandler, uninstallConsoleCapture } from '../src/index.js';
import { close, eventually, listen } from './fixtures/net.js';
import { CARDS, NOT_CARDS, cloudKeys, jwt, pemPrivateKey, randomChars } from './fixtures/secret-values.js';
import { useTestTelemetry } from './fixtures/telemetry.js';

const R = C.REDACTED_VALUE;
const t = useTestTelemetry();
beforeAll(() => {
  for (const m of ['log', 'warn'] as const) vi.spyOn(console, m).mockImplementation(() => undefined);
  installConsoleCapture();
});
afterAll(() => {
  uninstallConsoleCapture();
  vi.restoreAllMocks();
});
beforeEach(() => {
  t.reset();
  t.configure();
});

/** Runs one node with `input` returning `output`; gives back the node's captured input and output text. */
async function captured(input: unknown, output: unknown = null): Promise<{ input: string; output: string }> {
  await runFlow({ id: 'pay' }, null, () => runNode({ id: 'charge' }, input, () => output));
  const span = t.span('charge');
  return { input: String(span.attributes[C.ATTR_NODE_INPUT]), output: String(span.attributes[C.ATTR_NODE_OUTPUT]) };
}

describe('payment card numbers in captured values', () => {
  it('are replaced whatever their key: every network, bare, spaced and dashed, 13 to 19 digits', async () => {
    const { input, output } = await captured({ card: { number: CARDS.visaSpaced }, ...CARDS }, { charged: CARDS.mastercardDashed });
    for (const c of Object.values(CARDS)) {
      expect(input).not.toContain(c);
      expect(input).not.toContain(c.replace(/[ -]/g, ''));
    }
    expect(JSON.parse(input)).toEqual({ card: { number: R }, ...Object.fromEntries(Object.keys(CARDS).map((k) => [k, R])) });
    expect(output).toBe(`{"charged":"${R}"}`);
  });

  it('are replaced in place inside a longer text, which stays readable', async () => {
    const { input } = await captured({ note: `paid with ${CARDS.visaSpaced} ok`, two: `${CARDS.visaBare}/${CARDS.amexBare}` });
    expect(JSON.parse(input)).toEqual({ note: `paid with ${R} ok`, two: `${R}/${R}` });
  });

  it('are found when other digits stand next to them in the same run', async () => {
    const { input } = await captured({ line: `qty 100 ${CARDS.visaSpaced} 12/29`, pair: `${CARDS.visaSpaced} ${CARDS.mastercardDashed.replace(/-/g, ' ')}` });
    expect(JSON.parse(input)).toEqual({ line: `qty 100 ${R} 12/29`, pair: `${R} ${R}` });
  });

  it('leave Luhn-invalid numbers, order ids, timestamps, UUIDs, phone numbers, ISBNs and decimals alone', async () => {
    const text = Object.values(NOT_CARDS).join(' | ');
    const { input } = await captured({ ...NOT_CARDS, text });
    expect(JSON.parse(input)).toEqual({ ...NOT_CARDS, text });
  });

  it('are replaced when sent as a JSON number, while ordinary numbers and timestamps stay numbers', async () => {
    const { input, output } = await captured({ pan: 4111111111111111, amount: 12.5, at: 1718123456788, big: 9007199254740991 }, 5500000000000004);
    expect(input).toBe(`{"pan":"${R}","amount":12.5,"at":1718123456788,"big":9007199254740991}`);
    expect(output).toBe(`"${R}"`);
    t.reset();
    const { input: asBigInt } = await captured({ pan: 4111111111111111n, n: 12345678901234567890n });
    expect(asBigInt).toBe(`{"pan":"${R}","n":"12345678901234567890"}`);
  });
});

describe('tokens and keys in captured values', () => {
  it('replaces bearer tokens and JWTs under innocent keys and in console lines', async () => {
    const token = jwt();
    await runFlow({ id: 'login' }, { note: `got ${token}` }, () => {
      console.log(`calling the API with Authorization: Bearer ${randomChars(24)} and id token ${token}`);
      return { id: token };
    });
    const root = t.span('login');
    expect(root.attributes[C.ATTR_FLOW_INPUT]).toBe(`{"note":"got ${R}"}`);
    expect(root.attributes[C.ATTR_FLOW_OUTPUT]).toBe(`{"id":"${R}"}`);
    expect(t.lines().map((l) => l.body)).toEqual([`calling the API with Authorization: ${R} and id token ${R}`]);
  });

  it('replaces a whole multi-line PEM private key block, even one cut by the size cap, but not public keys or certificates', async () => {
    const key = pemPrivateKey('RSA');
    const pkcs8 = pemPrivateKey('');
    const pub = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';
    const { input } = await captured({ config: `before\n${key}\nafter`, other: pkcs8, pub });
    expect(JSON.parse(input)).toEqual({ config: `before\n${R}\nafter`, other: R, pub });
    t.reset();
    t.configure({ maxPayloadLength: 120 });
    const key2 = pemPrivateKey('EC');
    const cut = await captured({ k: key2 });
    // The cap cut the string before its END line; the block is still replaced, to the end.
    expect(cut.input).toBe(`{"k":"${R}"}`);
    expect(key2.length).toBeGreaterThan(120);
  });

  it('replaces a PEM private key printed on the console', async () => {
    const key = pemPrivateKey('OPENSSH');
    await runFlow({ id: 'keys' }, null, () => { console.log('loaded key:\n%s\ndone', key); });
    expect(t.lines().map((l) => l.body)).toEqual([`loaded key:\n${R}\ndone`]);
  });

  for (const { kind, prefix, key, nearMiss } of cloudKeys()) {
    it(`replaces a ${kind} (${prefix}…) under any key and inside text, and leaves a near miss alone`, async () => {
      const { input } = await captured({ value: key, text: `export KEY=${key}; done`, nearMiss });
      expect(JSON.parse(input)).toEqual({ value: R, text: `export KEY=${R}; done`, nearMiss });
    });
  }
});

describe('value redaction covers every way captured text leaves the service', () => {
  it('scrubs error messages and stacks in exception events, and the status message', async () => {
    const card = CARDS.visaSpaced;
    await expect(runFlow({ id: 'declined' }, null, () => runNode({ id: 'charge' }, null, async () => {
      throw new Error(`card ${card} declined`);
    }))).rejects.toThrow(`card ${card} declined`); // the user's error itself is unchanged
    for (const span of [t.span('charge'), t.span('declined')]) {
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: `card ${R} declined` });
      const event = span.events.find((e) => e.name === 'exception');
      expect(event?.attributes?.['exception.message']).toBe(`card ${R} declined`);
      expect(String(event?.attributes?.['exception.stacktrace'])).toContain(`Error: card ${R} declined`);
      expect(JSON.stringify({ attributes: span.attributes, events: span.events, status: span.status })).not.toContain(card);
    }
  });

  it('scrubs thrown strings and non-Error values too', async () => {
    const token = jwt();
    await expect(runFlow({ id: 'str' }, null, async () => { throw `bad token ${token}`; })).rejects.toBe(`bad token ${token}`);
    const span = t.span('str');
    expect(span.status.message).toBe(`bad token ${R}`);
    expect(span.events[0].attributes?.['exception.message']).toBe(`bad token ${R}`);
  });

  it('scrubs the path and the query of an HTTP request, percent-encoded values included', async () => {
    const token = jwt();
    const server = createServer(traceHttpHandler((_req, res) => { res.end('ok'); }));
    const port = await listen(server);
    try {
      await fetch(`http://127.0.0.1:${port}/reset/${token}?card=${encodeURIComponent(CARDS.visaSpaced)}&ref=${CARDS.visaBare}&page=2`);
      const root = await eventually(() => t.spans().find((s) => s.attributes[C.ATTR_EXECUTION_KIND] === 'http_handler'), 3_000, 'http root');
      expect(root.attributes[C.ATTR_URL_PATH]).toBe(`/reset/${R}`);
      expect(root.attributes[C.ATTR_URL_QUERY]).toBe(`card=${encodeURIComponent(R)}&ref=${encodeURIComponent(R)}&page=2`);
      expect(JSON.stringify(root.attributes)).not.toContain(token);
      expect(JSON.stringify(root.attributes)).not.toContain(CARDS.visaBare);
    } finally {
      await close(server);
    }
  });
});

describe('configuring value patterns', () => {
  it('turns named default value patterns off, or all of them, while key redaction stays', async () => {
    t.configure(undefined, { disableValuePatterns: ['card'] });
    const token = jwt();
    const { input } = await captured({ n: CARDS.visaSpaced, t: token, password: 'p' });
    expect(JSON.parse(input)).toEqual({ n: CARDS.visaSpaced, t: R, password: R });
    t.reset();
    t.configure(undefined, { disableValuePatterns: 'all' });
    const all = await captured({ n: CARDS.visaSpaced, t: token, pan: 4111111111111111, password: 'p' });
    expect(JSON.parse(all.input)).toEqual({ n: CARDS.visaSpaced, t: token, pan: 4111111111111111, password: R });
  });

  it('adds custom value patterns, plain or with a check that decides what a match becomes', async () => {
    t.configure(undefined, {
      valuePatterns: [
        /\bEMP-\d{6}\b/g,
        { name: 'iban', pattern: /\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b/g, redact: (m) => (m.startsWith('DE') ? `${m.slice(0, 4)}…${R}` : m) },
      ],
    });
    const { input } = await captured({ who: 'EMP-123456 paid', from: 'DE89370400440532013000', to: 'GB82WEST12345698765432', n: CARDS.visaBare });
    expect(JSON.parse(input)).toEqual({ who: `${R} paid`, from: `DE89…${R}`, to: 'GB82WEST12345698765432', n: R });
  });

  it('keeps only the given patterns with replaceDefaults', async () => {
    t.configure(undefined, { replaceDefaults: true, valuePatterns: [/\bEMP-\d{6}\b/g] });
    const { input } = await captured({ who: 'EMP-123456', n: CARDS.visaBare, password: 'p' });
    expect(JSON.parse(input)).toEqual({ who: R, n: CARDS.visaBare, password: 'p' });
  });
});
