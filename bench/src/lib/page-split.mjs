// Where the time of "click to drawn" goes inside the page, for the compare view: marks the page
// sets itself (no timer of its own): the click event's time, the comparison requests' Resource
// Timing (sent, first byte, last byte), the first compared row in the DOM and the counts of the
// whole comparison shown (data-complete="true"; a viewer without that attribute draws everything
// at once, so its complete time is its drawn time). All in ms after the click; a request sent
// before it (asked for while the pointer came to the link) is negative.

/** Installs the observers in the page; call right before the click. */
export function installSplit(page) {
  return page.evaluate(() => {
    const w = window;
    w.__split = {};
    document.addEventListener('click', (e) => { w.__split.click ??= e.timeStamp; }, { capture: true });
    const seen = () => {
      const s = w.__split;
      if (s.rows === undefined && document.querySelector('[data-testid="compare-row"]')) s.rows = performance.now();
      const counts = document.querySelector('[data-testid="compare-counts"]');
      if (s.complete === undefined && s.rows !== undefined && counts && counts.getAttribute('data-complete') !== 'false') s.complete = performance.now();
    };
    new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-complete'] });
  });
}

/** Waits until the whole comparison is shown. */
export function waitComplete(page, timeout = 120_000) {
  return page.waitForFunction(() => window.__split?.complete !== undefined, null, { timeout, polling: 20 });
}

/** The split of the last click: { sent, firstByte, lastByte, rows, complete, requests }. */
export function readSplit(page) {
  return page.evaluate(() => {
    const s = window.__split;
    const rel = (t) => Math.round(t - s.click);
    // Every comparison this document asked for (one page load per click): a first page asked for
    // before the click, while the run page was idle or the pointer came to the link, is one of them.
    const compares = performance.getEntriesByType('resource')
      .filter((e) => /\/compare\//.test(e.name) && !/[?&]aSpan=/.test(e.name))
      .sort((a, b) => a.startTime - b.startTime);
    const first = compares[0];
    return {
      sent: first ? rel(first.startTime) : null,
      firstByte: first ? rel(first.responseStart) : null,
      lastByte: first ? rel(first.responseEnd) : null,
      rows: rel(s.rows),
      complete: rel(s.complete),
      requests: compares.length,
    };
  });
}

/** Median of each field of a list of splits. */
export function medianSplit(splits) {
  const out = {};
  for (const key of Object.keys(splits[0] ?? {})) {
    const xs = splits.map((s) => s[key]).filter((x) => x !== null).sort((a, b) => a - b);
    out[key] = xs.length > 0 ? xs[Math.floor(xs.length / 2)] : null;
  }
  return out;
}
