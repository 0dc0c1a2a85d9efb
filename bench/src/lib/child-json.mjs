// Runs a benchmark child script in its own Node process and returns the JSON it prints last.
import { spawn } from 'node:child_process';

export function runChildJson(script, args = [], timeoutMs = 600_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last));
      } catch (error) {
        reject(new Error(`${script} failed (${error.message}): ${out.slice(-2000)}`));
      }
    });
  });
}
