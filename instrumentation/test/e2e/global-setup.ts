/**
 * Before any test: build the examples (and, through the project reference, this package) so
 * the end-to-end tests run the current code, and check that the collector has been built.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-b', 'examples'], { cwd: root, stdio: 'inherit' });
  const cli = `${root}collector/dist/cli.js`;
  if (!existsSync(cli)) {
    throw new Error(`end-to-end tests need the collector built at ${cli}: run \`cd ${root} && npx tsc -b collector\` (or pnpm run build)`);
  }
}
