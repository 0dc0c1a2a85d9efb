/**
 * The `{{NAME}}` placeholders of the schema's current-state files (schema/README.md): facts
 * whose one home is TypeScript, given to the SQL files as text so that no file restates them.
 * - NODE_STATUSES, STATED_EXECUTION_STATUSES: the conventions' status lists (span-status-sql.ts);
 * - SPAN_ATTRIBUTES, START_ATTRIBUTES: every attribute of a span_data row, and of a span_starts
 *   row aliased `s`, as one JSON object text (span-model/attribute-sql.ts, which knows the
 *   moved attributes and the large attributes' piece columns).
 */
import { spanAttributesSql, startAttributesSql } from './span-model/attribute-sql.js';
import { STATUS_PLACEHOLDERS } from './span-status-sql.js';

export const SCHEMA_PLACEHOLDERS: Readonly<Record<string, string>> = {
  ...STATUS_PLACEHOLDERS,
  SPAN_ATTRIBUTES: spanAttributesSql(),
  START_ATTRIBUTES: startAttributesSql('s.'),
};
