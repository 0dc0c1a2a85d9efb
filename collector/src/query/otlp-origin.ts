/**
 * Grouping exported spans or log records under their resource and scope, as OTLP requests nest
 * them (ResourceSpans → ScopeSpans, ResourceLogs → ScopeLogs). Rows of one resource share its
 * attributes, dropped count and schema URL; rows of one scope its name, version, attributes,
 * dropped count and schema URL (storage's OtlpOriginFields). Groups keep the order in which
 * their first row comes.
 */
import type { InstrumentationScope, Json, Resource } from '../otlp/shapes.js';
import type { OtlpOriginFields } from '../storage/index.js';
import { attributesOf, valueTypesOf } from './otlp-any-value.js';

/** A resource and a scope in OTLP/JSON (otlp/shapes.ts). */
export type OtlpJsonResource = Resource<Json>;
export type OtlpJsonScope = InstrumentationScope<Json>;

/** What a row says of its origin, beside the fields of OtlpOriginFields. */
export interface OriginRow extends OtlpOriginFields {
  resourceAttributes: string;
  scopeName: string | null;
  scopeVersion: string | null;
}

export interface ResourceGroup<T> {
  resource: OtlpJsonResource;
  schemaUrl: string;
  scopes: Array<{ scope: OtlpJsonScope; schemaUrl: string; items: T[] }>;
}

/** `rows` grouped by resource, then scope, each converted by `convert`. */
export function groupByOrigin<R extends OriginRow, T>(rows: readonly R[], convert: (row: R) => T): Array<ResourceGroup<T>> {
  const resources = new Map<string, { group: ResourceGroup<T>; scopes: Map<string, T[]> }>();
  for (const row of rows) {
    const resourceKey = JSON.stringify([row.resourceAttributes, row.resourceDroppedAttributesCount, row.resourceSchemaUrl]);
    let res = resources.get(resourceKey);
    if (res === undefined) {
      const types = valueTypesOf(row.valueTypes);
      res = {
        group: {
          resource: { attributes: attributesOf(row.resourceAttributes, types.resource), droppedAttributesCount: row.resourceDroppedAttributesCount },
          schemaUrl: row.resourceSchemaUrl ?? '',
          scopes: [],
        },
        scopes: new Map(),
      };
      resources.set(resourceKey, res);
    }
    const scopeKey = JSON.stringify([row.scopeName, row.scopeVersion, row.scopeAttributes, row.scopeDroppedAttributesCount, row.scopeSchemaUrl]);
    let items = res.scopes.get(scopeKey);
    if (items === undefined) {
      items = [];
      res.scopes.set(scopeKey, items);
      res.group.scopes.push({
        scope: {
          name: row.scopeName ?? '',
          version: row.scopeVersion ?? '',
          attributes: attributesOf(row.scopeAttributes, valueTypesOf(row.valueTypes).scope),
          droppedAttributesCount: row.scopeDroppedAttributesCount,
        },
        schemaUrl: row.scopeSchemaUrl ?? '',
        items,
      });
    }
    items.push(convert(row));
  }
  return [...resources.values()].map((r) => r.group);
}
