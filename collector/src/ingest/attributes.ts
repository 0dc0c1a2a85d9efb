/**
 * KeyValue lists → rendered attributes: a span's as an AttributeList (key, value JSON …: storage
 * decides what goes where; a long string value is handed down as its own text, otlp/attribute-text.ts),
 * every other list (resource, scope, events, links, log records,
 * metric points) as a JSON object text. Both keep the first of duplicate keys and at most
 * `caps.maxAttributes` keys (the rest are counted in `cut.dropped`), cap keys and values, and
 * note under its key the type tree of each value whose JSON does not tell its type.
 */
import { RAW_STRING_CHARS, rawValue, valueJson } from '../otlp/attribute-text.js';
import type { TypeTree } from '../otlp/value-types.js';
import type { KeyValue } from '../otlp/shapes.js';
import type { AttributeList, FlowFields } from '../storage/index.js';
import { anyValueToJson, capString, type CutState } from './any-value-json.js';
import { setFlowField } from './flow-fields.js';
import type { IngestCaps } from './ingest-caps.js';
import { ATTR_TRUNCATED } from './ingest-caps.js';
import { typeTreeOf } from './value-types.js';

/** What one rendering does besides the values: fields to fill, keys to leave out, where to note types. */
export interface RenderOptions {
  /** Flow fields to read from the list (a span's), or null. */
  flow?: FlowFields | null;
  /** Keys left out before the cap counts (a start mark's mark attributes). */
  omit?: ReadonlySet<string> | null;
}

/**
 * A KeyValue list as an AttributeList. `types` receives the type tree of each value whose JSON
 * does not tell its type, by key. A span's list (options.flow given) keeps a string longer than
 * RAW_STRING_CHARS raw instead of as JSON (otlp/attribute-text.ts); other lists become JSON
 * objects (attributesObject), so their values are all JSON.
 */
export function renderAttributes(
  list: KeyValue[] | null | undefined, caps: IngestCaps, cut: CutState, types: Record<string, TypeTree>, options: RenderOptions = {},
): AttributeList {
  const out: AttributeList = [];
  if (list == null || list.length === 0) return out;
  const seen = list.length > 1 ? new Set<string>() : null;
  const { flow = null, omit = null } = options;
  const capValue = flow === null ? null : (text: string) => capString(text, caps, cut);
  let kept = 0;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i];
    const key = capString(kv.key, caps, cut);
    if (omit !== null && omit.has(key)) continue;
    if (kept >= caps.maxAttributes) { cut.dropped++; continue; }
    if (seen !== null) { if (seen.has(key)) continue; seen.add(key); }
    if (flow !== null) {
      setFlowField(flow, key, kv.value, capValue!);
      const text = kv.value?.stringValue;
      if (text != null && text.length > RAW_STRING_CHARS) {
        out.push(key, rawValue(capString(text, caps, cut)));
        kept++;
        continue;
      }
    }
    const typedBefore = cut.typed;
    out.push(key, anyValueToJson(kv.value, caps, cut, 0));
    if (cut.typed !== typedBefore) types[key] = typeTreeOf(kv.value, caps, 0)!;
    kept++;
  }
  return out;
}

/** An AttributeList as a JSON object text. */
export function attributesObject(list: AttributeList): string {
  let out = '{';
  for (let i = 0; i < list.length; i += 2) out += (i === 0 ? '' : ',') + JSON.stringify(list[i]) + ':' + valueJson(list[i + 1]);
  return out + '}';
}

/** A KeyValue list as a JSON object text (resource, scope, events, links, log records, metric points). */
export function attributesJson(list: KeyValue[] | null | undefined, caps: IngestCaps, cut: CutState, types: Record<string, TypeTree>): string {
  return list == null || list.length === 0 ? '{}' : attributesObject(renderAttributes(list, caps, cut, types));
}

/** Appends `"flowtrace.truncated": true` to an AttributeList (once). */
export function markTruncated(list: AttributeList): void {
  for (let i = 0; i < list.length; i += 2) if (list[i] === ATTR_TRUNCATED && list[i + 1] === 'true') return;
  list.push(ATTR_TRUNCATED, 'true');
}
