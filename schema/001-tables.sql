-- 001-tables.sql - logproc's tables and their indexes (schema version 1).
--
-- sqlload runs the files of schema/ in order, each in one transaction
-- with the PRAGMA user_version it brings the database to; see README.md
-- beside this file for what every column means.  Times are text in
-- RFC 3339 with milliseconds (UTC), as the records carry them; JSON
-- members are stored as compact JSON text.  Every table has a key that
-- is the identity of its rows, so that loading the same records twice
-- leaves the database as it was.

-- One row per input line or Kafka message, as received (sqlload -r).
CREATE TABLE raw_logs (
	src_id		TEXT NOT NULL UNIQUE,	-- k:TOPIC:PARTITION:OFFSET, f:FILE:LINE
	topic		TEXT,
	partition	INTEGER,
	offset		INTEGER,
	key		TEXT,
	file		TEXT,
	line		INTEGER,
	payload		TEXT,
	kafka_ts	INTEGER,		-- ms since the epoch
	received_at	TEXT NOT NULL		-- when it was first loaded
);

-- One row per event record; the seed's six columns first, in its order.
CREATE TABLE events (
	system_id	TEXT,
	checkpoint_id	TEXT,
	timestamp	TEXT,
	status		TEXT,
	correlation_id	TEXT,
	failure_reason	TEXT,
	trace_id	TEXT,
	span_id		TEXT,
	parent_span_id	TEXT,
	target_system_id TEXT,
	duration_ms	NUMERIC,
	part		TEXT NOT NULL,
	rule		TEXT,
	attrs		TEXT NOT NULL,		-- JSON object
	source		TEXT NOT NULL,		-- JSON object
	src_id		TEXT NOT NULL UNIQUE,	-- the identity, from source
	src_file	TEXT,
	src_line	INTEGER,
	src_topic	TEXT,
	src_partition	INTEGER,
	src_offset	INTEGER,
	src_key		TEXT,
	src_ts		INTEGER,
	src_index	INTEGER,
	extra		TEXT			-- JSON object: later stages' members
);
CREATE INDEX events_trace_id ON events(trace_id);
CREATE INDEX events_span_id ON events(span_id);
CREATE INDEX events_correlation_id ON events(correlation_id);
CREATE INDEX events_timestamp ON events(timestamp);

-- One row per trace: the summary of tracebuild's trace record, replaced
-- by a later revision.
CREATE TABLE structured_logs (
	trace_id	TEXT NOT NULL PRIMARY KEY,
	correlation_id	TEXT,
	start		TEXT,
	end		TEXT,
	duration_ms	NUMERIC,
	root		TEXT,
	services	TEXT,			-- JSON array
	last_system	TEXT,
	span_count	INTEGER,
	error_count	INTEGER,
	status		TEXT,
	complete	INTEGER,		-- 0 or 1
	revision	INTEGER NOT NULL,
	model		TEXT,
	problems	TEXT,			-- JSON array
	failures	TEXT,			-- JSON array
	attrs		TEXT			-- JSON object: other members
);
CREATE INDEX structured_logs_correlation_id ON structured_logs(correlation_id);
CREATE INDEX structured_logs_start ON structured_logs(start);

-- One row per span of a trace (the spans of trace records, or span
-- records).  Named so that "spans" stays the seed's view.
CREATE TABLE trace_spans (
	trace_id	TEXT NOT NULL,
	span_id		TEXT NOT NULL,
	shared		INTEGER NOT NULL,	-- 1: a Zipkin server half
	parent_span_id	TEXT,
	service		TEXT,
	target		TEXT,
	name		TEXT,
	kind		TEXT,
	start		TEXT,
	end		TEXT,
	duration_ms	NUMERIC,
	status		TEXT,
	failure_reason	TEXT,
	depth		INTEGER,
	parent_inferred	INTEGER,
	events		INTEGER,
	checkpoints	TEXT,			-- JSON array
	attrs		TEXT,			-- JSON object
	revision	INTEGER NOT NULL,
	PRIMARY KEY (trace_id, span_id, shared)
);
CREATE INDEX trace_spans_span_id ON trace_spans(span_id);
CREATE INDEX trace_spans_start ON trace_spans(start);

-- One row per edge record: caller -> callee in a window ('' for none).
CREATE TABLE dependencies (
	source		TEXT NOT NULL,
	target		TEXT NOT NULL,
	window		TEXT NOT NULL,
	calls		INTEGER,
	errors		INTEGER,
	error_rate	REAL,
	latency_avg	REAL,
	latency_p50	REAL,
	latency_p95	REAL,
	latency_p99	REAL,
	latency_max	REAL,
	first_seen	TEXT,
	last_seen	TEXT,
	sketch		TEXT,			-- JSON: the mergeable sketch
	attrs		TEXT,			-- JSON object: other members
	PRIMARY KEY (source, target, window)
);

-- One row per service record in a window ('' for none).
CREATE TABLE services (
	service		TEXT NOT NULL,
	window		TEXT NOT NULL,
	calls_in	INTEGER,
	calls_out	INTEGER,
	errors		INTEGER,
	first_seen	TEXT,
	last_seen	TEXT,
	attrs		TEXT,
	PRIMARY KEY (service, window)
);

-- One row per cycle record: the services of a strongly connected
-- component, as a JSON array.
CREATE TABLE cycles (
	services	TEXT NOT NULL,
	window		TEXT NOT NULL,
	attrs		TEXT,
	PRIMARY KEY (services, window)
);

-- One row per reject record of any tool.
CREATE TABLE rejects (
	src_id		TEXT NOT NULL UNIQUE,	-- h:HASH of the record
	tool		TEXT,
	input		TEXT,
	line		INTEGER,
	reason		TEXT,
	raw		TEXT
);

-- The last offset loaded of each Kafka partition, written in the same
-- transaction as the rows it produced: a run resumes after it.
CREATE TABLE kafka_offsets (
	topic		TEXT NOT NULL,
	partition	INTEGER NOT NULL,
	offset		INTEGER NOT NULL,
	PRIMARY KEY (topic, partition)
);
