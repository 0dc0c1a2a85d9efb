/**
 * The run marked for comparison ("Mark for compare" on one run, then "Compare with marked
 * run" on another): kept in sessionStorage, so it survives moving between runs and reloads
 * within the tab.
 */
const KEY = 'flowtrace.compareMark';

class CompareMark {
  traceId = $state<string | null>(read());

  mark(traceId: string): void {
    this.traceId = traceId;
    try {
      sessionStorage.setItem(KEY, traceId);
    } catch {
      // Storage refused (private mode): the mark lasts as long as the page.
    }
  }
}

function read(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export const compareMark = new CompareMark();
