// Figures 5 and 7 run as child processes (they install OpenTelemetry providers or drive a
// browser); this module starts them and turns what they print into figure rows.
import { fileURLToPath } from 'node:url';
import { runChildJson } from './lib/child-json.mjs';
import { loadAverage } from './lib/stats.mjs';

const child = (name) => fileURLToPath(new URL(`./child/${name}`, import.meta.url));

/** Figure 5: µs per node span for each variant, and the 1 ms-node flow slowdown. */
export async function measureInstrumentation(nodes, flows) {
  const load = loadAverage();
  return { ...(await runChildJson(child('instrumentation-cost.mjs'), [nodes, flows])), load };
}

/** Figure 7: time to first paint of big traces in Chromium. */
export async function measureViewer(dir, sizes) {
  const load = loadAverage();
  return { traces: await runChildJson(child('viewer-paint.mjs'), [dir, sizes.join(',')], 900_000), load };
}

/** Figure 7, the "why" views: critical path, statistics and compare of big traces, API and click to drawn. */
export async function measureWhy(dir, sizes) {
  const load = loadAverage();
  return { traces: await runChildJson(child('why-views.mjs'), [dir, sizes.join(',')], 900_000), load };
}
