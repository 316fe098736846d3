/*
 * source.h - where a record came from: an event's source object as data.
 *
 * logproc(7): a line of a file is {"file":NAME,"line":N}; a Kafka message
 * read through a kcat -J envelope is {"topic":T,"partition":P,"offset":O,
 * "key":K,"ts":MS}; when one input record gave several events, "index"
 * (from 0) says which.  These coordinates are an event's identity: what
 * a loader keys rows by (idempotent reloads) and duplicates are told by.
 */
#ifndef LP_SOURCE_H
#define LP_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "json.h"

struct source {
	struct strview	 file;		/* p NULL: not from a file */
	int64_t		 line;		/* -1: none */
	struct strview	 topic;		/* p NULL: not from Kafka */
	int64_t		 partition;	/* -1: none */
	int64_t		 offset;	/* -1: none */
	struct strview	 key;		/* p NULL: null or none */
	bool		 has_ts;	/* the Kafka message's timestamp */
	int64_t		 ts_ms;
	int64_t		 index;		/* -1: none */
};

/*
 * Parse the members text[0..n) of a source object (an event's source
 * view) into s.  The text is copied into scratch and parsed into doc; s's
 * views point into scratch (as JSON string content), which must outlive
 * s.  Members it does not know are ignored.  Returns false if text is not valid JSON members or a
 * known member has the wrong type.
 */
bool	source_parse(const char *text, size_t n, struct jdoc *doc,
	    struct buf *scratch, struct source *s);

/* Append s as source members (no braces), in the order logproc(7) gives. */
void	source_write(struct buf *out, const struct source *s);

/* Whether s names a Kafka message (topic, partition and offset). */
bool	source_is_kafka(const struct source *s);

#endif
