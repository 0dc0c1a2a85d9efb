// Copies the schema .sql files and their order next to the compiled storage code.
import { cpSync, mkdirSync } from 'node:fs';

const from = new URL('../src/storage/schema/', import.meta.url);
const to = new URL('../dist/storage/schema/', import.meta.url);
mkdirSync(to, { recursive: true });
cpSync(from, to, { recursive: true });
