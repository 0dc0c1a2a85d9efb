// Where a process's JavaScript threads spent their time, from V8 .cpuprofile files (node
// --cpu-prof writes one per thread): self time summed by function, per file, biggest first,
// and as µs per unit of work when --per N says how many units (e.g. spans) the run handled.
//   node bench/src/cpu-profile-summary.mjs DIR [--per 100003] [--top 25]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { per: { type: 'string' }, top: { type: 'string', default: '25' } } });
const dir = positionals[0];
const per = args.per === undefined ? undefined : Number(args.per);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(collector|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    selfUs.set(key, (selfUs.get(key) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idle = selfUs.get('(idle)') ?? 0;
  const unit = (us) => (per === undefined ? `${(us / 1000).toFixed(0)} ms` : `${(us / per).toFixed(2)} µs`);
  console.log(`\n## ${file}: ${unit(total)} sampled, idle ${unit(idle)}, busy ${unit(total - idle)}`);
  for (const [key, us] of [...selfUs].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) {
    console.log(`${unit(us).padStart(10)}  ${key}`);
  }
}
