/**
 * The import directions of ARCHITECTURE.md, checked by `pnpm lint:deps` (part of `pnpm test`):
 * instrumentation → @opentelemetry only; viewer → the collector's api/ types only;
 * inside the collector ingest → storage ← query, and only storage imports DuckDB.
 */
module.exports = {
  forbidden: [
    {
      name: 'instrumentation-stands-alone',
      comment: 'The instrumentation library never imports the collector, the viewer or the examples.',
      severity: 'error',
      from: { path: '^instrumentation/src' },
      to: { path: '(^|/)(collector|viewer|examples)/|@flowtrace/(collector|viewer)' },
    },
    {
      name: 'only-storage-imports-duckdb',
      comment: 'Only collector/src/storage touches the database.',
      severity: 'error',
      from: { path: '^(collector|viewer|instrumentation|examples)/', pathNot: '^collector/src/storage/' },
      to: { path: '@duckdb/' },
    },
    {
      name: 'storage-only-through-its-front-module',
      comment: 'Outside collector/src/storage, only storage/index.ts may be imported: everything else in storage is the inside of an engine (DuckDB, ClickHouse) behind the contract (storage/contract.ts), free to change. The tests are not cruised: unit tests reach the storage module they test (SQL builders with golden files, pure helpers), DuckDB-only tests reach storage/duckdb-storage.ts (duckdbOf), and the conformance suite reaches contract.ts.',
      severity: 'error',
      from: { path: '^collector/src/', pathNot: '^collector/src/storage/' },
      to: { path: '^collector/src/storage/', pathNot: '^collector/src/storage/index\\.ts$' },
    },
    {
      name: 'ingest-imports-storage-for-types-only',
      comment: 'ingest runs in worker threads (collector/src/ingest/workers/), which must not load storage and with it the database engines: ingest imports the batch types of storage/index.ts, never a value.',
      severity: 'error',
      from: { path: '^collector/src/ingest/' },
      to: { path: '^collector/src/storage/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ingest-does-not-import-query',
      severity: 'error',
      from: { path: '^collector/src/ingest/' },
      to: { path: '^collector/src/query/' },
    },
    {
      name: 'query-does-not-import-ingest',
      comment: 'ingest/generated is not ingest logic but the OTLP protocol itself (code generated from the .proto files): query encodes Tempo\'s protobuf answers with it.',
      severity: 'error',
      from: { path: '^collector/src/query/' },
      to: { path: '^collector/src/ingest/', pathNot: '^collector/src/ingest/generated/' },
    },
    {
      name: 'control-stands-beside-query',
      comment: 'control/ (cancel and replay of runs, issue 20) is a feature area like query/: it reaches storage only through its front module and never imports ingest or query; they never import it (only app.ts wires it in).',
      severity: 'error',
      from: { path: '^collector/src/control/' },
      to: { path: '^collector/src/(ingest|query)/|^collector/src/storage/(?!index\\.ts$)' },
    },
    {
      name: 'nothing-below-app-imports-control',
      severity: 'error',
      from: { path: '^collector/src/(ingest|query|storage|api)/' },
      to: { path: '^collector/src/control/' },
    },
    {
      name: 'generated-otlp-stands-alone',
      comment: 'The generated OTLP code imports only protobufjs, so query reaching it reaches nothing else of ingest.',
      severity: 'error',
      from: { path: '^collector/src/ingest/generated/' },
      to: { path: '^collector/src/', pathNot: '^collector/src/ingest/generated/' },
    },
    {
      name: 'storage-imports-nothing-above-it',
      comment: 'storage is the bottom of the collector: it never imports ingest, query, the app or the server.',
      severity: 'error',
      from: { path: '^collector/src/storage/' },
      to: { path: '^collector/src/(ingest|query|api|control)/|^collector/src/(app|server|cli|metrics)\\.ts$' },
    },
    {
      name: 'viewer-imports-only-api-types',
      comment: "The viewer may import only types from the collector's api/ module.",
      severity: 'error',
      from: { path: '^viewer/src' },
      to: { path: '^collector/(src|dist)/', pathNot: '^collector/(src|dist)/api/' },
    },
    {
      name: 'viewer-imports-api-as-types',
      severity: 'error',
      from: { path: '^viewer/src' },
      to: { path: '^collector/(src|dist)/api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(collector|instrumentation|viewer)/src' },
      to: { circular: true },
    },
  ],
  options: {
    // dist/ and packages are leaves: checked as targets, not followed.
    doNotFollow: { path: 'node_modules|(^|/)dist/' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
