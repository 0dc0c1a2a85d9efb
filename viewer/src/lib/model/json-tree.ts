/**
 * A JSON value flattened into the lines of a collapsible tree view: one entry per key,
 * with depth and a path that identifies it across renders (for the collapsed set).
 */

export interface JsonLine {
  path: string;
  depth: number;
  key: string | null;
  /** For objects/arrays: their kind and size; for scalars: the value's text. */
  kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  text: string;
  /** Number of children (objects/arrays). */
  size: number;
}

/** Flattens `value`, skipping the children of collapsed paths; stops after `limit` lines. */
export function jsonLines(value: unknown, collapsed: ReadonlySet<string>, limit = 5000): JsonLine[] {
  const out: JsonLine[] = [];
  const walk = (v: unknown, key: string | null, path: string, depth: number) => {
    if (out.length >= limit) return;
    if (Array.isArray(v)) {
      out.push({ path, depth, key, kind: 'array', text: `[${v.length}]`, size: v.length });
      if (!collapsed.has(path)) v.forEach((c, i) => walk(c, String(i), `${path}/${i}`, depth + 1));
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v as object);
      out.push({ path, depth, key, kind: 'object', text: `{${keys.length}}`, size: keys.length });
      if (!collapsed.has(path)) for (const k of keys) walk((v as Record<string, unknown>)[k], k, `${path}/${k}`, depth + 1);
    } else if (typeof v === 'string') {
      out.push({ path, depth, key, kind: 'string', text: JSON.stringify(v), size: 0 });
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      out.push({ path, depth, key, kind: typeof v as 'number' | 'boolean', text: String(v), size: 0 });
    } else {
      out.push({ path, depth, key, kind: 'null', text: 'null', size: 0 });
    }
  };
  walk(value, null, '', 0);
  return out;
}
