/**
 * A JSON value as indented lines, each with the JSON path it shows ($.a.b[2], as the
 * collector's comparison names paths), so that a side-by-side view can mark the lines whose
 * path differs (or lies under a path that differs). Capped: a huge payload shows its first lines.
 */

export interface JsonLine {
  path: string;
  indent: number;
  text: string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const step = (key: string): string => (IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/** The lines of `value`, at most `max`. */
export function jsonLines(value: unknown, max = 400): JsonLine[] {
  const out: JsonLine[] = [];
  const walk = (v: unknown, path: string, indent: number, label: string, last: boolean): void => {
    if (out.length >= max) return;
    const comma = last ? '' : ',';
    if (Array.isArray(v) && v.length > 0) {
      out.push({ path, indent, text: `${label}[` });
      v.forEach((x, k) => walk(x, `${path}[${k}]`, indent + 1, '', k === v.length - 1));
      out.push({ path, indent, text: `]${comma}` });
    } else if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) {
      const entries = Object.entries(v as Record<string, unknown>);
      out.push({ path, indent, text: `${label}{` });
      entries.forEach(([k, x], n) => walk(x, path + step(k), indent + 1, `${JSON.stringify(k)}: `, n === entries.length - 1));
      out.push({ path, indent, text: `}${comma}` });
    } else out.push({ path, indent, text: `${label}${v === undefined ? 'null' : JSON.stringify(v)}${comma}` });
  };
  walk(value, '$', 0, '', true);
  return out;
}

/** True when the line's path is one of `paths` or lies under one. */
export function isMarked(path: string, paths: ReadonlySet<string>): boolean {
  if (paths.has(path)) return true;
  for (let p = parentPath(path); p !== null; p = parentPath(p)) if (paths.has(p)) return true;
  return false;
}

function parentPath(path: string): string | null {
  if (path === '$') return null;
  const m = /^(.*?)(\.[A-Za-z_$][A-Za-z0-9_$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  return m ? m[1] : null;
}
