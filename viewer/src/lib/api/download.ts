/**
 * Saves a file the API serves: fetched through the client (so a query token travels in the
 * Authorization header, which a link cannot carry), then handed to the browser as a download
 * of a Blob under `filename`.
 */
import type { ApiClient } from './client.js';

export async function downloadFile(api: ApiClient, path: string, filename: string): Promise<void> {
  const blob = await api.getBlob(path);
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // The click has started the download; the URL is not needed after this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/** The path and file name of an execution's OTLP/JSON export. */
export function otlpExport(traceId: string): { path: string; filename: string } {
  return { path: `/api/executions/${encodeURIComponent(traceId)}/otlp`, filename: `trace-${traceId}.otlp.json` };
}
