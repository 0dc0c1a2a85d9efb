/**
 * SQL highlighting colours for CodeMirror taken from the app's CSS variables, so the editor
 * follows the light or dark theme of the system like the rest of the viewer.
 */
import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

export const sqlHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier], color: 'var(--accent)', fontWeight: '600' },
  { tag: [t.string, t.special(t.string)], color: 'var(--ok)' },
  { tag: [t.number, t.bool, t.null], color: 'var(--warn)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--fg-3)', fontStyle: 'italic' },
  { tag: [t.typeName, t.standard(t.name)], color: 'var(--err)' },
  { tag: [t.operator, t.punctuation, t.paren], color: 'var(--fg-2)' },
  { tag: t.special(t.name), color: 'var(--run)' },
]);
