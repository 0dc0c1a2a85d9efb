// The API client's download with progress: chunks are counted as they arrive and decoded once.
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/lib/api/client.js';

/** A fetch answering `body` as a stream cut into `parts` byte ranges. */
function streamingFetch(body: string, cuts: number[]): typeof fetch {
  const bytes = new TextEncoder().encode(body);
  const edges = [0, ...cuts, bytes.length];
  return (async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i + 1 < edges.length; i++) controller.enqueue(bytes.slice(edges[i], edges[i + 1]));
          controller.close();
        },
      }),
      { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) } },
    )) as typeof fetch;
}

describe('ApiClient download with progress', () => {
  const value = { name: 'ünïcode ✓ 😀', spans: Array.from({ length: 50 }, (_, i) => [`span ${i}`, i]) };
  const body = JSON.stringify(value);
  const length = new TextEncoder().encode(body).length;

  it('decodes an answer whose chunks cut characters apart, and reports every byte', async () => {
    // Cut inside the multi-byte characters (ü is 2 bytes, ✓ 3, 😀 4).
    const at = (text: string) => new TextEncoder().encode(body.slice(0, body.indexOf(text))).length;
    const cuts = [at('ü') + 1, at('✓') + 2, at('😀') + 1, at('😀') + 3, length - 5];
    const progress: Array<[number, number | null]> = [];
    const client = new ApiClient({ fetch: streamingFetch(body, cuts) });
    const got = await client.get<typeof value>('/api/x', undefined, undefined, (received, total) => progress.push([received, total]));
    expect(got).toEqual(value);
    expect(progress.at(-1)).toEqual([length, length]);
    expect(progress.every(([received], i) => i === 0 || received >= progress[i - 1][0])).toBe(true);
  });

  it('reads an answer of one chunk', async () => {
    const client = new ApiClient({ fetch: streamingFetch(body, []) });
    expect(await client.get('/api/x', undefined, undefined, () => undefined)).toEqual(value);
  });
});
