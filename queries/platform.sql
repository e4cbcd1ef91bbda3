-- Every statement src/lib/server/platform/ sends in the integration tests, one shape a line, recorded at the driver
-- (src/lib/server/platform/sql-record.ts: whitespace collapsed, parameters as ?, IN and VALUES lists cut to one item).
-- Checked after `npm test` (scripts/lib/statements-on-file.ts); `UPDATE_QUERIES=1 npm test` rewrites it.
SELECT to_char(day, 'YYYY-MM-DD') AS day, working, name FROM work_calendar;
