// Pre-encoded request bodies on disk: the parent encodes the workload once, each ingest client
// process reads only its share. Encoding is not part of what the ingest figure measures, and
// doing it once keeps 2 cores free for the collector during the timed run.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';

/**
 * Writes `<path>` (bodies back to back) and `<path>.json` (index: offset, length, spans, logs).
 * Reuses an existing file with the same key (seed, size, format are in the key) whose bodies
 * are all there (a run may drop the bodies of a large dataset once loaded).
 */
export function writeBodies(path, key, chunks, encode) {
  if (existsSync(`${path}.json`) && existsSync(path)) {
    const previous = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
    if (previous.key === key && statSync(path).size === previous.bytes) return previous;
  }
  const fd = openSync(path, 'w');
  const entries = [];
  let offset = 0;
  let rawBytes = 0;
  try {
    for (const chunk of chunks) {
      if (chunk.spans.length === 0) continue;
      const body = encode(chunk.spans);
      writeSync(fd, body);
      entries.push({ offset, length: body.length, spans: chunk.spans.length });
      offset += body.length;
      rawBytes += body.length;
    }
  } finally {
    closeSync(fd);
  }
  const index = { key, entries, bytes: rawBytes, spans: entries.reduce((n, e) => n + e.spans, 0) };
  writeFileSync(`${path}.json`, JSON.stringify(index));
  return index;
}

/** Reads the bodies of the given index entries. */
export function readBodies(path, entries) {
  const fd = openSync(path, 'r');
  try {
    return entries.map((e) => {
      const buf = Buffer.allocUnsafe(e.length);
      readSync(fd, buf, 0, e.length, e.offset);
      return buf;
    });
  } finally {
    closeSync(fd);
  }
}

/** Yields the bodies one at a time (for loaders that stream). */
export function* eachBody(path, index) {
  const fd = openSync(path, 'r');
  try {
    for (const e of index.entries) {
      const buf = Buffer.allocUnsafe(e.length);
      readSync(fd, buf, 0, e.length, e.offset);
      yield { body: buf, spans: e.spans };
    }
  } finally {
    closeSync(fd);
  }
}
