-- The read-only ClickHouse user of flowtrace's SQL console (POST /api/sql on a ClickHouse storage).
-- flowtrace checks every console statement itself (one read statement; allowed functions, table
-- functions and tables only) and writes its limits into the statement's SETTINGS; this user is
-- the second layer: on a server, whatever gets past the check still cannot write, change a
-- setting beyond the bounds below, or read another database, a file, a URL or another server.
--
-- Run it once as an administrator, on every node (the compose file's initdb script does):
--   clickhouse client --multiquery < console-user.sql
-- with SHA256_OF_THE_CONSOLE_PASSWORD replaced by the hex SHA-256 of the password
-- (printf %s "$PASSWORD" | sha256sum), and `flowtrace` by the --clickhouse-database if another.
-- Then start the collectors with FLOWTRACE_CLICKHOUSE_CONSOLE_USER=flowtrace_console and
-- FLOWTRACE_CLICKHOUSE_CONSOLE_PASSWORD=<the password>.

-- readonly = 1: reads only, no setting may change but those marked CHANGEABLE_IN_READONLY, which
-- are exactly the ones the console writes into each statement (a statement may set a setting to
-- the value it already has: readonly and the JSON format are fixed here to what it writes).
-- The MAX bounds cap what any statement of this user may ask, flowtrace's flags included.
CREATE SETTINGS PROFILE IF NOT EXISTS flowtrace_console SETTINGS
    readonly = 1 CONST,
    max_execution_time = 10 MAX 300 CHANGEABLE_IN_READONLY,
    max_memory_usage = 536870912 MAX 8589934592 CHANGEABLE_IN_READONLY,
    output_format_json_quote_64bit_integers = 1 CONST,
    allow_introspection_functions = 0 CONST,
    cancel_http_readonly_queries_on_client_close = 1 CONST,
    max_concurrent_queries_for_user = 8 CONST;

CREATE USER IF NOT EXISTS flowtrace_console
    IDENTIFIED WITH sha256_hash BY 'SHA256_OF_THE_CONSOLE_PASSWORD'
    DEFAULT DATABASE flowtrace
    SETTINGS PROFILE 'flowtrace_console';

-- Reads of flowtrace's database, and the system tables the console reads (its catalog) or lets a
-- statement read. No other database, no SOURCES grant (file, url, s3, remote, mysql …), no
-- dictionaries, no CREATE TEMPORARY TABLE: the table functions readonly = 1 allows need none.
GRANT SELECT ON flowtrace.* TO flowtrace_console;
GRANT SELECT ON system.tables TO flowtrace_console;
GRANT SELECT ON system.columns TO flowtrace_console;
GRANT SELECT ON system.data_skipping_indices TO flowtrace_console;
GRANT SELECT ON system.functions TO flowtrace_console;
GRANT SELECT ON system.table_functions TO flowtrace_console;
GRANT SELECT ON system.aggregate_function_combinators TO flowtrace_console;
GRANT SELECT ON system.data_type_families TO flowtrace_console;
GRANT SELECT ON system.time_zones TO flowtrace_console;
