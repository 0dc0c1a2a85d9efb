/**
 * Current-state statements built in TypeScript rather than read from a file: schema/order.txt
 * names them `generated:<name>` and they run at that line, at every start, like the macros and
 * views of files (schema/README.md). A generator returns CREATE OR REPLACE MACRO / VIEW
 * statements only: it runs again at every start, after the views and macros were dropped.
 */
import { attributeMacros } from './span-model/attribute-sql.js';

/**
 * Generators by the name order.txt gives them. `attribute-macros`: merged_attributes,
 * moved_attribute_entries and span_attributes, generated from the rules the
 * span model encodes by (storage/span-model/attribute-sql.ts); order.txt runs them after the
 * macros they call and before the views that call them.
 */
export const GENERATED_STATEMENTS: Readonly<Record<string, () => readonly string[]>> = {
  'attribute-macros': attributeMacros,
};
