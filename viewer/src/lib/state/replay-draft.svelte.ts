/**
 * The replay dialog's state: the captured input being edited, what is still incomplete in it
 * (marked in place in the editor), and the way to a run. A run is refused while a value is
 * still redacted or cut — with a message naming those values — unless the user confirms
 * running with them left empty (null); the marker itself is never sent.
 */
import type { ReplayInput } from '@flowtrace/collector/api';
import { describePaths, editableText, readEditedInput, withIncompleteEmptied, type IncompleteValue } from '../model/replay-input.js';
import { mirrorLines, placeholderMarks } from '../model/replay-marks.js';
import { control, type ControlStage } from './control.svelte.js';

export class ReplayDraft {
  text = $state('');
  loadError = $state<string | null>(null);
  stage = $state<ControlStage>({ step: 'idle' });
  /** The values a refused run named; the user may confirm running with them empty. */
  refused = $state<IncompleteValue[] | null>(null);
  readonly edited = $derived(readEditedInput(this.text));
  readonly marks = $derived(placeholderMarks(this.text));
  readonly lines = $derived(mirrorLines(this.text, this.marks));
  /** What must still be re-entered: the parsed input's incomplete values (or the marks when it is not JSON yet). */
  readonly todo = $derived(this.edited.ok ? this.edited.incomplete : this.marks.map((m) => ({ path: m.path ?? '?', reason: m.reason })));

  /** The user confirmed running with the incomplete values empty (kept while the token is asked for). */
  private emptyChosen = false;

  /** `traceId` is read when a run is asked for (the dialog lives for one execution). */
  constructor(private readonly traceId: () => string) {}

  loaded(captured: ReplayInput): void {
    this.text = editableText(captured.text);
  }

  /** Typing changes what a refusal was about: it is asked again at the next Run. */
  edit(text: string): void {
    this.text = text;
    this.refused = null;
    this.emptyChosen = false;
  }

  /** Run with the input as it is; refused (nothing sent) while a value is incomplete, unless `emptyIncomplete`. */
  async run(emptyIncomplete = false): Promise<void> {
    const edited = this.edited;
    if (!edited.ok) return;
    if (edited.incomplete.length > 0 && !emptyIncomplete) {
      this.refused = edited.incomplete;
      return;
    }
    this.emptyChosen = emptyIncomplete;
    if (!control.token) {
      this.stage = { step: 'token' };
      return;
    }
    this.refused = null;
    this.stage = { step: 'requested' };
    this.stage = await control.replay(this.traceId(), emptyIncomplete ? withIncompleteEmptied(edited.value) : edited.value);
  }

  /** Goes on after the control token was given, as the user chose before. */
  continue(): Promise<void> {
    return this.run(this.emptyChosen);
  }

  /** The sentence of a refusal. */
  refusal(values: IncompleteValue[]): string {
    const n = values.length;
    const what = values.every((v) => v.reason === 'redacted') ? 'still redacted ([REDACTED])' : 'still redacted or cut';
    return `Not run: ${n === 1 ? 'a value is' : `${n} values are`} ${what}: ${describePaths(values)}. Re-enter ${n === 1 ? 'it' : 'them'} where ${n === 1 ? 'it is' : 'they are'} marked, or run with ${n === 1 ? 'it' : 'them'} empty (null).`;
  }
}
