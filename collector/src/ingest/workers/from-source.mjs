// The ingest worker when the collector runs from its TypeScript sources (the tests, through
// vitest): Node 20 cannot load .ts files, so this compiles the worker's entry and every module it
// imports (relative imports, followed from the compiled output, so type-only imports are not)
// with the workspace's TypeScript, one file at a time, into collector/node_modules/.cache/
// flowtrace-worker-src (the same layout as src/, so packages resolve from collector/node_modules),
// then imports the compiled entry. A file is compiled again only when its text changed (its hash
// heads the output); TypeScript itself is loaded only then. Writes go through a temporary file
// and a rename, so workers starting together never read half a file.
//
// The worker must not load storage (it would load the database engines in every worker): an
// import that reaches collector/src/storage at run time fails here, and so the tests.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId, workerData } from 'node:worker_threads';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/flowtrace-worker-src/', import.meta.url));
const STORAGE = join(SRC, 'storage') + sep;
const IMPORTS = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

let ts;

function compile(file) {
  const source = readFileSync(file, 'utf8');
  const head = `// ${createHash('sha1').update(source).digest('hex')}\n`;
  const out = join(CACHE, relative(SRC, file)).replace(/\.ts$/, '.js');
  if (existsSync(out)) {
    const cached = readFileSync(out, 'utf8');
    if (cached.startsWith(head)) return { out, js: cached };
  }
  ts ??= createRequire(import.meta.url)('typescript');
  const js = head + ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  mkdirSync(dirname(out), { recursive: true });
  const temporary = `${out}.${process.pid}-${threadId}.tmp`;
  writeFileSync(temporary, js);
  renameSync(temporary, out);
  return { out, js };
}

function compileAll(entry) {
  const seen = new Set();
  const pending = [entry];
  let entryOut;
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.startsWith(STORAGE)) throw new Error(`the ingest worker would load storage at run time: ${relative(SRC, file)}`);
    const { out, js } = compile(file);
    entryOut ??= out;
    for (const match of js.matchAll(IMPORTS)) pending.push(join(dirname(file), match[1]).replace(/\.js$/, '.ts'));
  }
  return entryOut;
}

await import(pathToFileURL(compileAll(fileURLToPath(workerData.entry))).href);
