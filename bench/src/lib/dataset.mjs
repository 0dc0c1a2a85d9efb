// A workload of a given size as request bodies on disk (traces, and the console lines as
// logs requests), cached by seed, size, payloads and format so repeated runs and several
// figures share one encoding pass.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeBodies } from './body-file.mjs';
import { encodeLogsProtobuf, encodeTracesJson, encodeTracesProtobuf, requestChunks } from './otlp.mjs';
import { executions } from './workload.mjs';

export const CONTENT_TYPES = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** { path, index, logs: { path, index } } for the workload; index.spans is the span count. */
export function prepareDataset({ dir, seed, spans, payloads = true, format = 'protobuf', perRequest = 512 }) {
  mkdirSync(dir, { recursive: true });
  const name = `w-${seed}-${spans}-${payloads ? 'p' : 'np'}`;
  const stream = () => requestChunks(executions({ seed, totalSpans: spans, payloads }), perRequest);
  const encode = format === 'json' ? encodeTracesJson : encodeTracesProtobuf;
  const path = join(dir, `${name}-${format}.bin`);
  const index = writeBodies(path, `${name}-${format}-${perRequest}-v1`, stream(), encode);
  const logsPath = join(dir, `${name}-logs.bin`);
  const logsIndex = writeBodies(logsPath, `${name}-logs-v1`, logBatches(stream(), 2000), encodeLogsProtobuf);
  return { path, index, contentType: CONTENT_TYPES[format], format, logs: { path: logsPath, index: logsIndex } };
}

/** Console lines of the stream in batches of `size` (put in `spans` so writeBodies counts them). */
function* logBatches(chunks, size) {
  let batch = [];
  for (const chunk of chunks) {
    for (const log of chunk.logs) {
      batch.push(log);
      if (batch.length === size) {
        yield { spans: batch };
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield { spans: batch };
}
