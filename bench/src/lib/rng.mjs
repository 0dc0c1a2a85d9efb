// A small seeded PRNG (mulberry32): the workload must be identical on every run and in
// every process (ingest clients, loaders), which Math.random cannot give.

/** A deterministic random source with the helpers the workload needs. */
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Integer in [lo, hi], both included. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    /** Log-uniform in [lo, hi): sizes and durations spread over orders of magnitude. */
    logUniform: (lo, hi) => Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo))),
    /** `bytes` random bytes as lower-case hex (never all zero). */
    hex: (bytes) => {
      let s = '';
      for (let i = 0; i < bytes; i += 4) s += ((((next() * 4294967296) >>> 0) | 1) >>> 0).toString(16).padStart(8, '0');
      return s.slice(0, bytes * 2);
    },
  };
}
