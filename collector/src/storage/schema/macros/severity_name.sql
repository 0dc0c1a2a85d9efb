-- The name of a log severity number (TRACE … FATAL4), NULL outside 1–24; readers use it when a
-- record gave no severity text, as storage/severity.ts does for JavaScript.
CREATE OR REPLACE MACRO severity_name(n) AS
  CASE WHEN n BETWEEN 1 AND 24
    THEN ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][(n - 1) // 4 + 1] || CASE WHEN (n - 1) % 4 = 0 THEN '' ELSE CAST((n - 1) % 4 + 1 AS VARCHAR) END
  END;
