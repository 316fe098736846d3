-- 002-views.sql - the views users and the seeds' readers query (schema
-- version 2).  See README.md beside this file.

-- The seed POC's spans: one row per (correlation_id, system_id), from the
-- first to the last event time of that system for that id; status is that
-- of the system's latest event (of two at the same time, the one loaded
-- last).  Detail parts (a separate error line) are not checkpoints.
CREATE VIEW spans AS
SELECT correlation_id, system_id,
	min(timestamp) AS start_time,
	max(timestamp) AS end_time,
	CAST(round((julianday(max(timestamp)) - julianday(min(timestamp)))
	    * 86400000) AS INTEGER) AS duration_ms,
	round((julianday(max(timestamp)) - julianday(min(timestamp)))
	    * 86400, 2) AS duration_sec,
	(SELECT l.status FROM events l
	 WHERE l.correlation_id = e.correlation_id
	   AND l.system_id = e.system_id
	   AND l.timestamp IS NOT NULL AND l.part IS NOT 'detail'
	 ORDER BY l.timestamp DESC, l.rowid DESC LIMIT 1) AS status
FROM events e
WHERE correlation_id IS NOT NULL AND system_id IS NOT NULL
  AND timestamp IS NOT NULL AND part IS NOT 'detail'
GROUP BY correlation_id, system_id;

-- The seed POC's trace_summary: one row per correlation_id.  trace_start
-- is the inventory span's start (the seed dropped ids without one; they
-- are kept, with the first span's start), trace_status 'COMPLETE' when
-- the reporting span succeeded, last_system_reached the system whose span
-- ended last (of two at the same time, the first by name).
CREATE VIEW trace_summary AS
SELECT correlation_id, trace_start, trace_end,
	round((julianday(trace_end) - julianday(trace_start)) * 86400, 2)
	    AS trace_duration_sec,
	trace_status, last_system_reached
FROM (
	SELECT correlation_id,
		coalesce(max(CASE WHEN system_id = 'inventory'
		    THEN start_time END), min(start_time)) AS trace_start,
		max(end_time) AS trace_end,
		CASE WHEN max(CASE WHEN system_id = 'reporting'
		    THEN status END) = 'SUCCESS'
		    THEN 'COMPLETE' ELSE 'IN_PROGRESS' END AS trace_status,
		(SELECT l.system_id FROM spans l
		 WHERE l.correlation_id = s.correlation_id
		 ORDER BY l.end_time DESC, l.system_id LIMIT 1)
		    AS last_system_reached
	FROM spans s
	GROUP BY correlation_id
);

-- The span-log service's structured_row_logs: one row per span of the
-- events that have span ids.  A span-log call is logged twice: a start
-- line (http_status 102) and an end line; a span format that gives a
-- duration logs both ends in one record.
CREATE VIEW structured_row_logs AS
SELECT trace_id, span_id, parent_span_id, source, destination, method,
	type, request, http_status, response, start_timestamp_ms,
	end_timestamp_ms, end_timestamp_ms - start_timestamp_ms AS duration_ms,
	is_complete
FROM (
	SELECT trace_id, span_id, parent_span_id,
		system_id AS source, target_system_id AS destination,
		json_extract(attrs, '$.method') AS method,
		json_extract(attrs, '$.type') AS type,
		json_extract(attrs, '$.request') AS request,
		CAST(json_extract(attrs, '$.http_status') AS INTEGER)
		    AS http_status,
		json_extract(attrs, '$.response') AS response,
		min(ms) OVER w AS start_timestamp_ms,
		CASE WHEN is_start = 0
		    THEN ms + CAST(round(coalesce(duration_ms, 0)) AS INTEGER)
		    END AS end_timestamp_ms,
		(max(is_start) OVER w = 1 OR duration_ms IS NOT NULL)
		    AND is_start = 0 AS is_complete,
		row_number() OVER (w ORDER BY is_start, ms DESC, r DESC) AS n
	FROM (
		SELECT *, rowid AS r,
			CAST(round((julianday(timestamp) - 2440587.5)
			    * 86400000) AS INTEGER) AS ms,
			coalesce(json_extract(attrs, '$.http_status') IN
			    ('102', 102), 0) AS is_start
		FROM events
		WHERE span_id IS NOT NULL AND trace_id IS NOT NULL
		  AND timestamp IS NOT NULL AND part IS NOT 'detail'
	)
	WINDOW w AS (PARTITION BY trace_id, span_id)
)
WHERE n = 1;

-- Failed checkpoints and spans with their reasons: the event's own, or
-- (before logjoin has merged them) that of the nearest detail part of the
-- same correlation id and system.
CREATE VIEW failures AS
SELECT e.timestamp, e.system_id, e.checkpoint_id, e.correlation_id,
	e.trace_id, e.span_id,
	coalesce(e.failure_reason,
	    (SELECT reason FROM (
		SELECT d.failure_reason AS reason, d.rowid AS k,
			abs(coalesce(julianday(d.timestamp), 0)
			    - julianday(e.timestamp)) AS distance
		FROM events d
		WHERE d.part = 'detail' AND d.correlation_id = e.correlation_id
		  AND d.system_id IS e.system_id
		  AND d.failure_reason IS NOT NULL)
	     ORDER BY distance, k LIMIT 1)) AS failure_reason,
	e.source
FROM events e
WHERE e.status = 'FAILURE' AND e.part IS NOT 'detail';

-- Traces, slowest first.
CREATE VIEW slowest_traces AS
SELECT trace_id, correlation_id, start, end, duration_ms, root,
	last_system, span_count, error_count, status, complete
FROM structured_logs
WHERE duration_ms IS NOT NULL
ORDER BY duration_ms DESC, trace_id;

-- Edges with their health: 'failing' at an error rate of 10% or more,
-- 'degraded' at 1% or more, else 'ok'.
CREATE VIEW edge_health AS
SELECT source, target, window, calls, errors, rate AS error_rate,
	latency_p95 AS p95_ms, latency_p99 AS p99_ms, last_seen,
	CASE WHEN rate >= 0.10 THEN 'failing'
	     WHEN rate >= 0.01 THEN 'degraded'
	     ELSE 'ok' END AS health
FROM (
	SELECT source, target, window, calls, errors, latency_p95,
		latency_p99, last_seen,
		coalesce(error_rate, CASE WHEN calls > 0
		    THEN CAST(errors AS REAL) / calls END) AS rate
	FROM dependencies
)
ORDER BY rate DESC, latency_p95 DESC, source, target, window;
