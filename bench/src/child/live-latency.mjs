// Figure 6, in a process of its own (it installs the instrumentation's providers): a service
// instrumented with flowtrace's defaults (batches every 500 ms) runs flows of 3 short nodes
// against a collector, while a client reads GET /api/live. Latency of a span = time its
// span.completed event arrives minus the span's own end time (same machine, same clock).
// Prints one JSON line.   node child/live-latency.mjs <collectorUrl> <flows>
import { setupTracing, defineFlow, node } from '@flowtrace/instrumentation';

const [url, flowCount = '100'] = process.argv.slice(2);
const flows = Number(flowCount);
const now = () => performance.timeOrigin + performance.now();
const latencies = [];
const expected = flows * 4; // root + 3 nodes

const abort = new AbortController();
const res = await fetch(`${url}/api/live`, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
const reading = (async () => {
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body) {
      const at = now();
      buffer += decoder.decode(chunk, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const event = JSON.parse(data.slice(6));
        if ((event.type === 'span.completed' || event.type === 'span.failed') && event.span?.serviceName === 'live-bench') {
          latencies.push(at - Number(BigInt(event.span.endTimeUnixNano) / 1000n) / 1000);
          if (latencies.length >= expected) abort.abort();
        }
      }
    }
  } catch (error) {
    if (error.name !== 'AbortError') throw error;
  }
})();

const tracing = setupTracing({ serviceName: 'live-bench', endpoint: url });
const flow = defineFlow({ id: 'live', name: 'live-latency' }, async (input) => {
  await node({ id: 'a', type: 'code' }, () => input.n + 1);
  await node({ id: 'b', type: 'code' }, async () => new Promise((r) => setTimeout(r, 2)));
  await node({ id: 'c', type: 'code' }, () => input.n * 2);
});
for (let i = 0; i < flows; i++) {
  await flow.run({ n: i });
  await new Promise((r) => setTimeout(r, 50));
}
await tracing.shutdown();
const timer = setTimeout(() => abort.abort(), 10_000);
await reading;
clearTimeout(timer);
console.log(JSON.stringify({ flows, received: latencies.length, expected, latencies }));
