-- 003-partial-indexes.sql - the events table's id indexes hold only the
-- rows that have the id (schema version 3).  See README.md beside this
-- file.
--
-- Loading an event costs a B-tree insert per index, and an id that is
-- null (span ids of systems that log none, trace and correlation ids of
-- plain logs) was indexed all the same.  An index WHERE x IS NOT NULL
-- answers every query that compares x (x = ?, x IN (...), x > ?, a join
-- on x), which is what these indexes are for; the timestamp index stays
-- whole, so that ORDER BY timestamp can use it.
DROP INDEX events_trace_id;
DROP INDEX events_span_id;
DROP INDEX events_correlation_id;
CREATE INDEX events_trace_id ON events(trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX events_span_id ON events(span_id) WHERE span_id IS NOT NULL;
CREATE INDEX events_correlation_id ON events(correlation_id)
	WHERE correlation_id IS NOT NULL;
