#!/bin/bash
# Creates flowtrace's read-only console user on this ClickHouse node at its first start (the
# official image runs /docker-entrypoint-initdb.d/* once, on an empty data directory, as
# CLICKHOUSE_USER). The password arrives as FLOWTRACE_CONSOLE_PASSWORD and goes into the SQL as
# its SHA-256 (hex only, so nothing in it can break the statement).
set -euo pipefail
hash=$(printf %s "${FLOWTRACE_CONSOLE_PASSWORD:?FLOWTRACE_CONSOLE_PASSWORD must be set}" | sha256sum | cut -d' ' -f1)
sed "s/SHA256_OF_THE_CONSOLE_PASSWORD/${hash}/" /flowtrace/console-user.sql \
  | clickhouse client --user "${CLICKHOUSE_USER}" --password "${CLICKHOUSE_PASSWORD}" --multiquery
