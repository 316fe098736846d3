/*
 * load.h - sqlload's loaders: one record of each type into its table.
 *
 * Each loader binds the record's fields to its prepared statement (db.h)
 * and steps it; a field of the wrong type is the record's fault, not the
 * database's, and rejects it with a reason naming the field.
 *
 * Identity: a row's key says which record it is, so that the same record
 * loaded again replaces its row rather than adding one.
 *   event, raw line	its source: "k:TOPIC:PARTITION:OFFSET" for a Kafka
 *			message, "f:FILE:LINE" for a line of a file, with
 *			"#INDEX" when one input record gave several events;
 *			a line of standard input, whose name says nothing,
 *			adds a hash of the record; no usable source at all:
 *			"h:HASH" of the record
 *   trace		its trace_id (a higher revision replaces it, and
 *			its spans)
 *   span		trace_id, span_id and shared
 *   edge, service	their names and window
 *   cycle		its services and window
 *   reject		"h:HASH" of the record
 */
#ifndef SQLLOAD_LOAD_H
#define SQLLOAD_LOAD_H

#include <stdbool.h>

#include "buf.h"
#include "db.h"
#include "event.h"
#include "json.h"
#include "reader.h"
#include "source.h"
#include "trace.h"

enum load_result {
	LOAD_OK,		/* written */
	LOAD_REJECT,		/* the record is unusable: why says why */
	LOAD_FAIL		/* the database failed (reported; db.h) */
};

struct loader {
	struct db	*db;
	/* scratch, reused record after record */
	struct event	 ev;
	struct source	 src;
	struct trace_rec trace;
	struct span_rec	 span;
	struct jdoc	 srcdoc, xdoc;
	struct buf	 scratch, srcscratch, why;
	struct buf	 id, attrs, source, extra, json[4], text;
};

/* Set up l to write into db. */
void	load_init(struct loader *l, struct db *db);

/* Load the record rec by its type (event, trace, span, edge, service,
 * cycle, reject). */
enum load_result load_record(struct loader *l, const struct record *rec);

/*
 * Load rec (a line as read, READER_LINES) into raw_logs: a kcat -J
 * envelope with its Kafka coordinates and payload, anything else as a
 * line of its input.
 */
enum load_result load_raw(struct loader *l, const struct record *rec);

/* Free the scratch storage. */
void	load_release(struct loader *l);

#endif
