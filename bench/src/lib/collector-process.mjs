// The collector as its own process (`node <flags> collector/dist/cli.js start`, the flags of the
// root package.json's start script: collector-dist.mjs startNodeFlags), as users run it: the
// ingest clients and the query timer are other processes, and its memory is measured from
// /proc. Stopped with SIGTERM, which commits, checkpoints and closes the database.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { COLLECTOR_CLI, startNodeFlags } from './collector-dist.mjs';

/** Starts a collector on 127.0.0.1 and a free port; resolves once it listens. */
export async function startCollectorProcess(dbPath, extraArgs = [], nodeArgs = []) {
  const child = spawn(process.execPath, [...startNodeFlags(), ...nodeArgs, COLLECTOR_CLI, 'start', '--port', '0', '--host', '127.0.0.1', '--db', dbPath, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`collector did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    pid: child.pid,
    /** Resident set size of the collector process, bytes. */
    rss: () => rssOf(child.pid),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
