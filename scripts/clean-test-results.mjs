// Empties .test-results/ so the closing summary counts this run only.
import { rmSync } from 'node:fs';

rmSync(new URL('../.test-results/', import.meta.url), { recursive: true, force: true });
