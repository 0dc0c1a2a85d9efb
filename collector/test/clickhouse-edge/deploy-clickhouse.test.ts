/**
 * deploy/clickhouse/ is not run in CI (no Docker engine there): these checks keep its compose
 * file consistent with the CLI it starts, the ClickHouse and Keeper configuration it mounts, the
 * load balancer in front and the console's read-only user (sql-console.test.ts has ClickHouse's
 * parser read that user's SQL).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALLOWED_SYSTEM_TABLES } from '../../src/storage/clickhouse/sql-console-allowed.js';
import { consoleSettings } from '../../src/storage/clickhouse/sql-console-text.js';

const root = new URL('../../../', import.meta.url);
const deploy = new URL('deploy/clickhouse/', root);
const read = (path: string, base = deploy) => readFileSync(new URL(path, base), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const named = (prefix: string) => Object.entries(services).filter(([name]) => name.startsWith(prefix));
const collectors = named('collector-');
const clickhouses = named('clickhouse-');

/** The value after `--flag` in a command. */
const flag = (command: string[], name: string) => command[command.indexOf(name) + 1];
/** Texts of `<tag>…</tag>` in an XML file (flowtrace's own configuration: flat, no CDATA). */
const tags = (xml: string, tag: string) => [...xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1].trim());

describe('deploy/clickhouse/docker-compose.yml', () => {
  it('pins every image and builds the collectors from the repository Dockerfile', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        expect(existsSync(new URL(service.build.dockerfile, new URL(`${service.build.context}/`, deploy))), name).toBe(true);
      } else {
        expect(service.image, name).toMatch(/^[a-z0-9./-]+:\d+(\.\d+)*(-alpine)?$/);
      }
    }
    expect(services.keeper.image?.split(':')[1]).toBe(clickhouses[0][1].image?.split(':')[1]);
    expect(collectors.length).toBeGreaterThanOrEqual(2);
    expect(clickhouses.length).toBeGreaterThanOrEqual(2);
  });

  it('publishes only the load balancer, on loopback', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'lb') expect(service.ports).toEqual(['127.0.0.1:4318:4318', '127.0.0.1:4317:4317']);
      else expect(service.ports, name).toBeUndefined();
    }
  });

  it('starts each collector on ClickHouse with flags the CLI knows, on the cluster the ClickHouse nodes form', () => {
    const cli = read('collector/src/cli.ts', root);
    const cluster = read('clickhouse/cluster.xml');
    const clusterName = /<remote_servers>\s*<(\w+)>/.exec(cluster.replace(/<!--[\s\S]*?-->/g, ''))?.[1];
    for (const [name, service] of collectors) {
      const command = service.command as string[];
      expect(command.slice(0, 3), name).toEqual(['node', 'collector/dist/cli.js', 'start']);
      // parseArgs options of the CLI: `host: {…}`, `'clickhouse-url': {…}`.
      for (const option of command.filter((c) => c.startsWith('--'))) {
        expect(cli, `${name} ${option}`).toMatch(new RegExp(`(^|[\\s{])('${option.slice(2)}'|${option.slice(2)}): \\{ type:`, 'm'));
      }
      expect(flag(command, '--host')).toBe('0.0.0.0');
      expect(flag(command, '--storage')).toBe('clickhouse');
      expect(flag(command, '--clickhouse-cluster'), name).toBe(clusterName);
      const url = new URL(flag(command, '--clickhouse-url'));
      expect(Object.keys(services), name).toContain(url.hostname);
      expect(url.port).toBe('8123');
      expect(service.depends_on?.[url.hostname]?.condition).toBe('service_healthy');
      const server = services[url.hostname].environment as Record<string, string>;
      expect(service.environment?.CLICKHOUSE_USER).toBe(server.CLICKHOUSE_USER);
      expect(service.environment?.CLICKHOUSE_PASSWORD).toBe(server.CLICKHOUSE_PASSWORD);
      expect(service.environment?.FLOWTRACE_CLICKHOUSE_CONSOLE_PASSWORD).toBe(server.FLOWTRACE_CONSOLE_PASSWORD);
    }
    // The environment the compose file gives the collectors is what the CLI reads.
    for (const name of Object.keys(collectors[0][1].environment ?? {})) expect(cli, name).toMatch(new RegExp(`env\\.${name}\\b|'${name}'`));
  });

  it('checks the health of every service and starts each after what it needs is healthy', () => {
    for (const [name, service] of Object.entries(services)) expect(service.healthcheck?.test.length, name).toBeGreaterThan(1);
    for (const [name, service] of clickhouses) expect(service.depends_on?.keeper?.condition, name).toBe('service_healthy');
    for (const [name] of collectors) expect(services.lb.depends_on?.[name]?.condition).toBe('service_healthy');
    const keeper = read('keeper/keeper.xml');
    expect(services.keeper.healthcheck?.test.join(' ')).toContain(`:${tags(keeper, 'port')[0]}${tags(keeper, 'endpoint')[0]}`);
  });
});

describe('deploy/clickhouse configuration', () => {
  const cluster = read('clickhouse/cluster.xml');

  it('lists every ClickHouse node of the compose file as a shard of the cluster, one shard macro each', () => {
    const hosts = tags(cluster, 'host');
    const replicaHosts = tags(cluster, 'replica').map((r) => tags(r, 'host')[0]);
    expect(replicaHosts.sort()).toEqual(clickhouses.map(([name]) => name).sort());
    const shards = clickhouses.map(([, s]) => s.environment?.FLOWTRACE_SHARD);
    expect(new Set(shards).size).toBe(clickhouses.length);
    expect(tags(cluster, 'shard').filter((s) => s.includes('<replica>')).length).toBe(clickhouses.length);
    for (const [name, service] of clickhouses) {
      expect(service.environment?.FLOWTRACE_REPLICA).toBe(name);
      expect(service.volumes?.some((v) => v.startsWith('./clickhouse/cluster.xml:/etc/clickhouse-server/config.d/'))).toBe(true);
    }
    expect(cluster).toMatch(/<shard from_env="FLOWTRACE_SHARD"\/>/);
    expect(cluster).toMatch(/<replica from_env="FLOWTRACE_REPLICA"\/>/);
    expect(cluster).toMatch(/<secret from_env="FLOWTRACE_CLUSTER_SECRET"\/>/);
    expect(hosts).toContain('keeper');
  });

  it('points the nodes at Keeper where Keeper listens, and Keeper at itself', () => {
    const keeper = read('keeper/keeper.xml');
    const zookeeper = tags(cluster, 'zookeeper')[0];
    expect(tags(zookeeper, 'host')).toEqual(['keeper']);
    expect(tags(zookeeper, 'port')).toEqual(tags(keeper, 'tcp_port'));
    expect(tags(tags(keeper, 'raft_configuration')[0], 'hostname')).toEqual(['keeper']);
    expect(services.keeper.volumes).toContain('./keeper/keeper.xml:/etc/clickhouse-keeper/keeper_config.xml:ro');
  });

  it('makes a 200 durable: synchronous quorum inserts through the shards, fsync after each insert', () => {
    const profile = read('clickhouse/writer-profile.xml');
    expect(tags(profile, 'async_insert')).toEqual(['0']);
    expect(tags(profile, 'distributed_foreground_insert')).toEqual(['1']);
    expect(tags(profile, 'insert_quorum')).toEqual(['auto']);
    expect(tags(read('clickhouse/durability.xml'), 'fsync_after_insert')).toEqual(['1']);
  });

  it('balances OTLP/HTTP, the API and gRPC over every collector', () => {
    const nginx = read('nginx/nginx.conf');
    for (const port of ['4318', '4317']) {
      const servers = [...nginx.matchAll(new RegExp(`server (collector-\\d+):${port};`, 'g'))].map((m) => m[1]);
      expect(servers.sort(), port).toEqual(collectors.map(([name]) => name).sort());
    }
    expect(nginx).toContain('proxy_buffering off;');
  });
});

describe('deploy/clickhouse/console-user.sql', () => {
  const sql = read('console-user.sql').replace(/^--.*$/gm, '');
  const database = flag(collectors[0][1].command as string[], '--clickhouse-database');
  const user = collectors[0][1].environment?.FLOWTRACE_CLICKHOUSE_CONSOLE_USER;

  it('lets the console user set exactly the settings the console writes, within bounds', () => {
    const profile = /CREATE SETTINGS PROFILE[\s\S]*?;/.exec(sql)?.[0] ?? '';
    const limits = consoleSettings({ remainingMs: 10_000, maxRows: 10_000, maxMemoryBytes: 512 * 2 ** 20 });
    for (const [name, value] of limits) {
      const line = new RegExp(`\\b${name} = ([^\\s,]+)([^,;]*)`).exec(profile);
      expect(line, name).not.toBeNull();
      const [, fixed, rest] = line as RegExpExecArray;
      if (/CHANGEABLE_IN_READONLY/.test(rest)) expect(rest, name).toMatch(/MAX \d+|^\s*CHANGEABLE_IN_READONLY/);
      else expect([fixed, rest.trim()], name).toEqual([value, 'CONST']);
    }
    expect(profile).toMatch(/readonly = 1 CONST/);
    const changeable = [...profile.matchAll(/\b(\w+) = [^,;]*CHANGEABLE_IN_READONLY/g)].map((m) => m[1]);
    expect(changeable.length).toBeGreaterThan(0);
    for (const name of changeable) expect(limits.map(([n]) => n), `${name} may change but the console never sets it`).toContain(name);
  });

  it('creates the user the collectors log in as, on their database, with reads of it and of allowed system tables only', () => {
    expect(sql).toContain(`CREATE USER IF NOT EXISTS ${user}`);
    expect(sql).toContain(`DEFAULT DATABASE ${database}`);
    const grants = [...sql.matchAll(/GRANT (\w+) ON ([\w.*]+) TO (\w+);/g)].map((m) => ({ what: m[1], on: m[2], to: m[3] }));
    expect(grants.length).toBe((sql.match(/GRANT /g) ?? []).length);
    for (const grant of grants) {
      expect(grant.what).toBe('SELECT');
      expect(grant.to).toBe(user);
      const [db, table] = grant.on.split('.');
      if (db === 'system') expect(ALLOWED_SYSTEM_TABLES.has(table) || table === 'tables', grant.on).toBe(true);
      else expect(grant.on).toBe(`${database}.*`);
    }
  });

  it('is printed in the README as it is in the file', () => {
    const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
    const readme = flat(read('README.md', root));
    const statements = sql.split(';').map(flat).filter(Boolean);
    expect(statements.length).toBeGreaterThanOrEqual(3);
    for (const statement of statements) expect(readme, statement).toContain(`${statement};`);
  });

  it('is created at the first start of every node by an executable init script that reads the mounted SQL', () => {
    const script = read('initdb/console-user.sh');
    expect(statSync(new URL('initdb/console-user.sh', deploy)).mode & 0o111).not.toBe(0);
    for (const [name, service] of clickhouses) {
      expect(service.volumes, name).toContain('./console-user.sql:/flowtrace/console-user.sql:ro');
      expect(service.volumes, name).toContain('./initdb/console-user.sh:/docker-entrypoint-initdb.d/console-user.sh:ro');
    }
    expect(script).toContain('/flowtrace/console-user.sql');
    expect(script).toContain('SHA256_OF_THE_CONSOLE_PASSWORD');
    expect(sql).toContain("'SHA256_OF_THE_CONSOLE_PASSWORD'");
  });
});
