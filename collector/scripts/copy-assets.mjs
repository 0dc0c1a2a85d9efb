// Copies the schema folder (current-state .sql files, migrations and their order files; see
// src/storage/schema/README.md) next to the compiled storage code, replacing what a previous
// build copied so a file removed from the source does not linger in dist.
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const from = new URL('../src/storage/schema/', import.meta.url);
const to = new URL('../dist/storage/schema/', import.meta.url);
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
cpSync(from, to, { recursive: true, filter: (source) => !source.endsWith('.md') });
