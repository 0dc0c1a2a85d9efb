/**
 * docker-compose.yml and the collector's Dockerfile are not run in CI (no Docker engine);
 * these checks keep them consistent with the repository they build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'));

  it('builds the collector from its Dockerfile and publishes port 4318 on loopback', () => {
    const collector = compose.services.collector;
    expect(existsSync(new URL(collector.build.dockerfile, root))).toBe(true);
    expect(collector.ports).toContain('127.0.0.1:4318:4318');
    expect(collector.volumes[0]).toMatch(/:\/data$/);
  });

  it('points the demo at the collector and runs a script the build produces', () => {
    const demo = compose.services.demo;
    expect(demo.environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
    expect(demo.depends_on.collector.condition).toBe('service_healthy');
    const script: string = demo.command[1];
    expect(existsSync(new URL(script.replace('/dist/', '/src/').replace(/\.js$/, '.ts'), root))).toBe(true);
  });
});

describe('collector/Dockerfile', () => {
  const dockerfile = read('collector/Dockerfile');

  it('copies every workspace package manifest before installing with the locked pnpm', () => {
    const workspace = parse(read('pnpm-workspace.yaml')).packages as string[];
    for (const pkg of workspace) expect(dockerfile).toContain(`COPY ${pkg}/package.json ${pkg}/`);
    expect(dockerfile).toContain('install --frozen-lockfile');
  });

  it('starts the built CLI on all interfaces with the database on the volume', () => {
    expect(dockerfile).toMatch(/CMD \["node", "--max-semi-space-size=64", "collector\/dist\/cli\.js", "start", "--host", "0\.0\.0\.0"/);
    expect(dockerfile).toContain('/data/flowtrace.duckdb');
    expect(read('collector/package.json')).toContain('"build": "node scripts/copy-assets.mjs && tsc -b"');
  });
});
