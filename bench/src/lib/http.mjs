// Small HTTP helpers for talking to the collector from the benchmark (127.0.0.1 only).
import { eachBody } from './body-file.mjs';

/** GET a JSON answer; throws with the body on a non-2xx status. */
export async function getJson(url) {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Runs one statement through POST /api/sql; returns { columns, rows, elapsedMs }. */
export async function sql(base, statement) {
  const res = await fetch(`${base}/api/sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: statement }) });
  const answer = await res.json();
  if (!res.ok) throw new Error(`SQL failed (${res.status}): ${answer.message}\n${statement}`);
  return answer;
}

/** One scalar from SQL, as a number. */
export async function sqlNumber(base, statement) {
  const answer = await sql(base, statement);
  return Number(answer.rows[0][0]);
}

/** Posts a dataset's console lines to /v1/logs (untimed: the query figures search them too). */
export async function postLogs(url, dataset) {
  for (const { body } of eachBody(dataset.logs.path, dataset.logs.index)) {
    const res = await fetch(`${url}/v1/logs`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
    if (res.status !== 200) throw new Error(`POST /v1/logs → ${res.status}`);
  }
}
