/*
 * stream.h - event time per stream.
 *
 * Events come from streams that are each in time order, more or less: a
 * Kafka partition (an ordered log of its own), or an input file.  A run
 * may read several one after another, or interleaved (kcat consuming a
 * topic's partitions in turn, `cat a.log b.log`), so event time is kept
 * per stream: what a stateful filter waits for ("no event of this trace
 * for two minutes") is measured on the clock of the stream its events
 * come from, never moved on by another stream that happens to be ahead.
 *
 * A stream is named by its event's source: the topic and partition of a
 * Kafka message, or the file a line was read from (as the source names
 * it, whatever pipe carried the event since), else the input the event
 * was read from.
 */
#ifndef LP_STREAM_H
#define LP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "map.h"

struct stream {
	int64_t		 watermark;	/* the latest event time seen, or
					   INT64_MIN */
	int64_t		 last;		/* the time of its latest event that
					   had one, or INT64_MIN */
	void		*user;		/* the filter's, per stream */
	char		*key;		/* owned */
	size_t		 klen;
};

struct streams {
	struct map	 map;
	struct stream	**all;		/* in the order first seen */
	size_t		 n, cap;
};

#define STREAMS_INIT { MAP_INIT, NULL, 0, 0 }

/*
 * The stream ev came from (created when first seen, with user NULL);
 * input_no is the reader's number of the input it was read from.  The
 * pointer stays valid until streams_release().
 */
struct stream	*streams_get(struct streams *s, const struct event *ev,
		    unsigned input_no);

/* Note an event time t of stream st: moves its watermark on. */
void		 stream_saw(struct stream *st, int64_t t);

/* Free every stream (not what user points to). */
void		 streams_release(struct streams *s);

#endif
