/**
 * The scroll window of the virtualized executions list: which rows exist in the DOM (those in
 * view plus overscan; rows have one fixed height) and whether the user is reading the list —
 * the pointer over it or scrolled away from its top — so live arrivals wait instead of moving
 * the rows (ExecutionListState.setReading).
 */
import type { ExecutionListState } from './executions.svelte.js';

/** Height of one row in px (ExecutionRow's three lines and padding). */
export const LIST_ROW_HEIGHT = 72;
const OVERSCAN = 6;
/** Rows from the end at which the next older page is asked for. */
const LOAD_AHEAD = 15;

export class ListViewport {
  scrollTop = $state(0);
  height = $state(600);
  private pointerInside = false;

  /** `list` is a getter so the component's prop stays live. */
  constructor(private readonly list: () => ExecutionListState) {}

  readonly first = $derived.by(() => Math.max(0, Math.floor(this.scrollTop / LIST_ROW_HEIGHT) - OVERSCAN));
  readonly last = $derived.by(() => Math.min(this.list().items.length, Math.ceil((this.scrollTop + this.height) / LIST_ROW_HEIGHT) + OVERSCAN));
  /** Whether the rows near the end are in view: time for the next page. */
  readonly nearEnd = $derived.by(() => this.last >= this.list().items.length - LOAD_AHEAD);

  onScroll(top: number): void {
    this.scrollTop = top;
    this.tell();
  }

  onPointer(inside: boolean): void {
    this.pointerInside = inside;
    this.tell();
  }

  private tell(): void {
    this.list().setReading(this.pointerInside || this.scrollTop > LIST_ROW_HEIGHT / 2);
  }
}
