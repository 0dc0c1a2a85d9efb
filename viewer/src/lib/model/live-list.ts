/**
 * The executions list as loaded pages plus live arrivals, kept bounded: pure functions the
 * list state (lib/state/executions.svelte.ts) applies.
 *
 * Invariants: `items` are newest first with unique trace ids and at most MAX_LIST_ROWS of them;
 * `cursorAfter` maps the last row of each page the server sent to the cursor that continues
 * after it, so when live arrivals push old rows out, the list is cut at such a row and "load
 * older" carries on from there; where no page ends near the cut, `olderThanMs` (the start of
 * the last kept row) lets the next page be asked for by time instead.
 */
import type { Execution } from './types.js';

/** Rows the list holds at most (an open tab gets thousands of executions an hour). */
export const MAX_LIST_ROWS = 1000;

export interface LoadedList {
  items: Execution[];
  /** Cursor continuing after the given row (the last row of a page the server sent). */
  cursorAfter: ReadonlyMap<string, string>;
  /** The cursor of the next older page, or null. */
  nextCursor: string | null;
  /** Set when rows were dropped where no page ended: the next page starts before this time. */
  olderThanMs: number | null;
}

export function emptyList(): LoadedList {
  return { items: [], cursorAfter: new Map(), nextCursor: null, olderThanMs: null };
}

/** The list after a first page. */
export function firstPage(items: Execution[], nextCursor: string | null): LoadedList {
  const last = items[items.length - 1];
  return { items, cursorAfter: last && nextCursor ? new Map([[last.traceId, nextCursor]]) : new Map(), nextCursor, olderThanMs: null };
}

/** The list with an older page appended (rows it already has are skipped). */
export function appendPage(list: LoadedList, page: Execution[], nextCursor: string | null): LoadedList {
  const seen = new Set(list.items.map((e) => e.traceId));
  const items = [...list.items, ...page.filter((e) => !seen.has(e.traceId))];
  const cursorAfter = new Map(list.cursorAfter);
  const last = page[page.length - 1];
  if (last && nextCursor) cursorAfter.set(last.traceId, nextCursor);
  return { items, cursorAfter, nextCursor, olderThanMs: null };
}

/**
 * The list with newer executions put in (newest first; rows it has are replaced), then
 * cut to `max` rows: at the last page end within the bound when there is one, else at the bound.
 */
export function prependNewer(list: LoadedList, fresh: Execution[], max = MAX_LIST_ROWS): LoadedList {
  if (fresh.length === 0) return list;
  const ids = new Set(fresh.map((e) => e.traceId));
  // Stable: rows with the same start keep their order.
  const items = [...fresh, ...list.items.filter((e) => !ids.has(e.traceId))].sort((a, b) => b.startMs - a.startMs);
  if (items.length <= max) return { ...list, items };
  let cut = -1;
  for (let i = max - 1; i >= Math.floor(max / 2); i--) {
    if (list.cursorAfter.has(items[i].traceId)) {
      cut = i;
      break;
    }
  }
  if (cut >= 0) {
    const kept = items.slice(0, cut + 1);
    const keptIds = new Set(kept.map((e) => e.traceId));
    const cursorAfter = new Map([...list.cursorAfter].filter(([id]) => keptIds.has(id)));
    return { items: kept, cursorAfter, nextCursor: list.cursorAfter.get(items[cut].traceId)!, olderThanMs: null };
  }
  const kept = items.slice(0, max);
  const keptIds = new Set(kept.map((e) => e.traceId));
  return {
    items: kept,
    cursorAfter: new Map([...list.cursorAfter].filter(([id]) => keptIds.has(id))),
    nextCursor: null,
    olderThanMs: kept[kept.length - 1].startMs,
  };
}

/** Whether older rows may follow (by cursor, or by time after a cut). */
export function hasOlder(list: LoadedList): boolean {
  return list.nextCursor !== null || list.olderThanMs !== null;
}

/** The row replaced by a newer version of it, if the list has it; undefined when it does not. */
export function updateRow(items: Execution[], e: Execution): Execution[] | undefined {
  const at = items.findIndex((x) => x.traceId === e.traceId);
  if (at < 0) return undefined;
  if (items[at].lastSeenMs > e.lastSeenMs) return items;
  const next = items.slice();
  next[at] = e;
  return next;
}
