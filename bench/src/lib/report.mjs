// The figure table: every row has a value, the baseline measured in the same run, their
// ratio, the target and whether it was met, and the load average it ran under. Printed as
// it goes, and rendered into BENCHMARKS.md at the end.

export class Report {
  rows = [];
  sections = [];

  /** row: { fig, measure, value, baseline, baselineValue, ratio, target, met, load } (strings). */
  add(row) {
    const full = { baseline: '', ratio: '', target: '', met: '', ...row };
    this.rows.push(full);
    console.log(`[fig ${full.fig}] ${full.measure}: ${full.value}` + (full.baseline ? ` | baseline ${full.baseline}` : '') +
      (full.ratio ? ` | ratio ${full.ratio}` : '') + (full.target ? ` | target ${full.target} ${full.met}` : '') + ` | load ${full.load}`);
  }

  /** Free text under its own heading (counts, notes, what was not run). */
  note(title, text) {
    this.sections.push({ title, text });
    console.log(`\n## ${title}\n${text}\n`);
  }

  table() {
    const head = '| fig | measure | value | baseline (same run) | ratio | target | met | load avg 1/5/15 min |\n|---|---|---|---|---|---|---|---|';
    const esc = (s) => String(s).replaceAll('|', '\\|');
    return [head, ...this.rows.map((r) => `| ${r.fig} | ${esc(r.measure)} | ${esc(r.value)} | ${esc(r.baseline)} | ${esc(r.ratio)} | ${esc(r.target)} | ${r.met} | ${r.load} |`)].join('\n');
  }
}

export const fmt = {
  n: (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a'),
  ms: (x) => (x < 10 ? `${x.toFixed(2)} ms` : `${Math.round(x).toLocaleString('en-US')} ms`),
  mb: (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`,
  ratio: (x) => (Number.isFinite(x) ? `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×` : 'n/a'),
  met: (ok) => (ok ? 'yes' : '**no**'),
};
