/**
 * SQL console attacks in ClickHouse's dialect, by family: each statement must be refused
 * (FT_SQL_REFUSED) before anything of it runs. The DuckDB list (test/fixtures/sql-attacks.ts)
 * is sent too; these are the ClickHouse ways to the same ends. Addresses are 127.0.0.1 only.
 */

/** Writes, DDL and statements that change the server or the session. */
export const WRITE_ATTACKS: string[] = [
  "INSERT INTO span_data (trace_id) VALUES ('x')", 'INSERT INTO span_data SELECT * FROM span_data',
  "ALTER TABLE span_data DELETE WHERE 1", "DELETE FROM span_data WHERE 1", "UPDATE span_data SET name = 'x' WHERE 1",
  'CREATE TABLE evil (a UInt8) ENGINE = Memory', 'CREATE VIEW evil AS SELECT 1', 'DROP TABLE span_data', 'TRUNCATE TABLE span_data',
  'RENAME TABLE span_data TO x', 'OPTIMIZE TABLE span_data FINAL', 'SYSTEM FLUSH LOGS', 'SYSTEM SHUTDOWN', 'KILL QUERY WHERE 1',
  'SET readonly = 0', 'SET max_execution_time = 0', 'USE system', 'GRANT ALL ON *.* TO default', 'CREATE USER evil',
  "BACKUP TABLE span_data TO File('/tmp/flowtrace-attack')", 'DETACH TABLE span_data', 'ATTACH TABLE span_data', 'UNDROP TABLE span_data',
  'EXCHANGE TABLES span_data AND log_data', 'CHECK TABLE span_data', "CREATE FUNCTION evil AS (x) -> x",
  'SELECT 1; DROP TABLE span_data', 'SELECT 1; SELECT 2', 'EXPLAIN PLAN INSERT INTO span_data SELECT * FROM span_data',
  'EXPLAIN AST SELECT 1', 'WITH x AS (SELECT 1) INSERT INTO span_data SELECT * FROM span_data', 'SHOW TABLES', 'SHOW GRANTS',
  'BEGIN TRANSACTION', 'COMMIT',
];

/** Files, URLs, other servers, processes and data lakes through table functions, in every position. */
export const TABLE_FUNCTION_ATTACKS: string[] = [
  "SELECT * FROM file('/etc/hostname', 'LineAsString')", "SELECT * FROM `file`('/etc/hostname')", "SELECT * FROM FILE('/etc/hostname')",
  "SELECT * FROM url('http://127.0.0.1:9/x', 'CSV')", "SELECT * FROM s3('http://127.0.0.1:9/b/x.csv')", "SELECT * FROM remote('127.0.0.1:9', system.one)",
  "SELECT * FROM remoteSecure('127.0.0.1:9', system.one)", "SELECT * FROM mysql('127.0.0.1:9', 'db', 't', 'u', 'p')",
  "SELECT * FROM postgresql('127.0.0.1:9', 'db', 't', 'u', 'p')", "SELECT * FROM jdbc('jdbc:x', 't')", "SELECT * FROM odbc('DSN=x', 't')",
  "SELECT * FROM hdfs('hdfs://127.0.0.1:9/x', 'CSV')", "SELECT * FROM input('a UInt8')", "SELECT * FROM executable('id', 'TSV', 'a String')",
  "SELECT * FROM cluster('default', system.one)", "SELECT * FROM clusterAllReplicas('default', system.one)",
  "SELECT * FROM azureBlobStorage('http://127.0.0.1:9', 'c', 'x')", "SELECT * FROM gcs('http://127.0.0.1:9/b/x')",
  "SELECT * FROM iceberg('http://127.0.0.1:9/t')", "SELECT * FROM deltaLake('http://127.0.0.1:9/t')", "SELECT * FROM hudi('http://127.0.0.1:9/t')",
  "SELECT * FROM mongodb('127.0.0.1:9', 'db', 'c', 'u', 'p', 'a String')", "SELECT * FROM redis('127.0.0.1:9', 'k', 'k String')",
  "SELECT * FROM sqlite('/tmp/x.db', 't')", "SELECT * FROM dictionary('d')", "SELECT * FROM merge('system', '.*')", "SELECT * FROM loop(numbers(1))",
  "SELECT * FROM view(SELECT * FROM file('/etc/hostname'))", "SELECT * FROM mergeTreeIndex(currentDatabase(), span_data)",
  "SELECT * FROM eval('SELECT 1')", "SELECT * FROM filesystem('/etc')", "SELECT * FROM fileCluster('default', '/etc/hostname')",
  "SELECT * FROM numbers(1) JOIN file('/etc/hostname') ON 1", "SELECT * FROM (SELECT * FROM file('/etc/hostname'))",
  "WITH f AS (SELECT * FROM file('/etc/hostname')) SELECT * FROM f", "SELECT 1 UNION ALL SELECT count() FROM file('/etc/hostname')",
  "SELECT (SELECT count() FROM url('http://127.0.0.1:9/x', 'CSV'))", "SELECT 1 WHERE EXISTS (SELECT 1 FROM file('/etc/hostname'))",
  "SELECT 1 IN (SELECT 1 FROM remote('127.0.0.1:9', system.one))", "EXPLAIN PIPELINE SELECT * FROM file('/etc/hostname')",
  "DESCRIBE TABLE file('/etc/hostname')", "SELECT * FROM `/etc/hostname`", "SELECT * FROM default.`/etc/hostname`",
];

/** Built-in functions that read files, settings, the server or other tables, or sleep. */
export const FUNCTION_ATTACKS: string[] = [
  "SELECT file('/etc/hostname')", "SELECT FILE('/etc/hostname')", "SELECT 1 IN file('/etc/hostname')", "SELECT getSetting('readonly')",
  "SELECT getServerSetting('path')", "SELECT getMacro('shard')", "SELECT dictGet('d', 'a', 1)", "SELECT joinGet('t', 'a', 1)",
  'SELECT hostName()', 'SELECT FQDN()', 'SELECT uptime()', 'SELECT currentProfiles()', 'SELECT sleep(1)', 'SELECT sleepEachRow(1) FROM numbers(2)',
  "SELECT generateSerialID('s')", "SELECT hasColumnInTable('127.0.0.1', 'system', 'one', 'dummy')", "SELECT aiGenerate('x')",
  'SELECT addressToLine(0)', "SELECT catboostEvaluate('/tmp/m.bin', 1)", "SELECT getClientHTTPHeader('Authorization')",
  "SELECT * APPLY(file) FROM (SELECT '/etc/hostname' AS p)", 'SELECT __getScalar(1)', "SELECT evilFunction(1)",
];

/** Tables outside this database, and system tables beyond the allowlist. */
export const TABLE_ATTACKS: string[] = [
  'SELECT * FROM system.users', 'SELECT * FROM system.settings', 'SELECT * FROM system.query_log', 'SELECT * FROM system.tables',
  'SELECT * FROM system.parts', 'SELECT * FROM system.processes', 'SELECT * FROM system.disks', 'SELECT * FROM system.grants',
  'SELECT * FROM information_schema.tables', 'SELECT * FROM INFORMATION_SCHEMA.TABLES', 'SELECT * FROM ch_edge_other.secret',
  'SELECT * FROM span_data WHERE trace_id IN ch_edge_other.secret', 'SELECT * FROM numbers(1) WHERE 1 IN system.users',
  'SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x), x', 'WITH x AS (SELECT * FROM x) SELECT * FROM x',
  'SELECT * FROM no_such_table',
];

/** The limits, the answer's format and destination, parameters and forged names. */
export const LIMIT_ATTACKS: string[] = [
  'SELECT 1 SETTINGS readonly = 0', 'SELECT count() FROM numbers(10) SETTINGS max_execution_time = 100000',
  'SELECT * FROM (SELECT 1 SETTINGS max_memory_usage = 0)', 'SELECT number FROM numbers(10) SETTINGS max_result_rows = 0',
  "SELECT 1 INTO OUTFILE '/tmp/flowtrace-attack.csv'", 'SELECT 1 FORMAT CSV', "SELECT 1 INTO OUTFILE '/tmp/flowtrace-attack.tsv' FORMAT TSV",
  'SELECT {x:UInt8}', 'SELECT * FROM {t:Identifier}', 'SELECT `a\nb` FROM span_data', "SELECT 1 AS `x\n    Function file`",
  'SELECT 1 ORDER BY 1 WITH FILL INTERPOLATE (x AS (SELECT 1))',
];
