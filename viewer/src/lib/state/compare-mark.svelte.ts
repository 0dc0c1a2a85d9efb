/**
 * The run marked for comparison ("Mark for compare" on one run, then "Compare with marked
 * run" on another): kept in sessionStorage, so it survives moving between runs and reloads
 * within the tab. Its span count is kept with it (null when unknown: a mark stored by an older
 * viewer as the bare trace id), so a page can tell whether asking for the comparison ahead of
 * the click is cheap.
 */
const KEY = 'flowtrace.compareMark';

interface Mark {
  traceId: string | null;
  spanCount: number | null;
}

class CompareMark {
  #mark = $state<Mark>(read());

  get traceId(): string | null {
    return this.#mark.traceId;
  }

  get spanCount(): number | null {
    return this.#mark.spanCount;
  }

  mark(traceId: string, spanCount: number | null = null): void {
    this.#mark = { traceId, spanCount };
    try {
      sessionStorage.setItem(KEY, JSON.stringify(this.#mark));
    } catch {
      // Storage refused (private mode): the mark lasts as long as the page.
    }
  }
}

function read(): Mark {
  let raw: string | null = null;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return { traceId: null, spanCount: null };
  }
  if (raw === null) return { traceId: null, spanCount: null };
  try {
    const parsed = JSON.parse(raw) as Partial<Mark>;
    if (typeof parsed?.traceId === 'string') return { traceId: parsed.traceId, spanCount: typeof parsed.spanCount === 'number' ? parsed.spanCount : null };
  } catch {
    // A bare trace id, as older viewers stored it.
  }
  return { traceId: raw, spanCount: null };
}

export const compareMark = new CompareMark();
