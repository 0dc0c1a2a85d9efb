/**
 * Starting the example services as child processes (each its own service.name), waiting for
 * their `<name> listening on <url>` line, and stopping them by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A started example service. */
export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `dist/<script>.js` and resolves with its URL once it prints its ready line. */
export function startChild(script: string, env: Record<string, string> = {}, timeoutMs = 15_000): Promise<Child> {
  const file = fileURLToPath(new URL(`./${script}.js`, import.meta.url));
  const proc = spawn(process.execPath, [file], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`${script} did not start within ${timeoutMs} ms`)); }, timeoutMs);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code} before it was ready`)); });
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      const m = /^(\S+) listening on (\S+)$/m.exec(buffer);
      if (!m) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      proc.stdout?.removeAllListeners('data');
      proc.stdout?.resume();
      resolve({
        name: m[1],
        url: m[2],
        process: proc,
        stop: () => new Promise<void>((done) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return done();
          const kill = setTimeout(() => proc.kill('SIGKILL'), 8_000);
          proc.once('exit', () => { clearTimeout(kill); done(); });
          proc.kill('SIGTERM');
        }),
      });
    });
  });
}
