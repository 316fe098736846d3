/*
 * stream.c - event time per stream; see stream.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "stream.h"

struct stream *
streams_get(struct streams *s, const struct event *ev, unsigned input_no)
{
	static const char topic[] = "\"topic\":", file[] = "\"file\":";
	struct stream	*st;
	const char	*k, *off;
	char		 key[32];
	size_t		 kl;

	/*
	 * A source is written (logproc(7)) with the topic first and the
	 * partition second, or the file first and its line second: the
	 * members before the offset, or before the line, name the stream.  An event with
	 * neither (written by hand) belongs to the input it was read from.
	 */
	if (ev->source.n > sizeof(topic) && memcmp(ev->source.p, topic,
	    sizeof(topic) - 1) == 0 && (off = lp_memmem(ev->source.p,
	    ev->source.n, ",\"offset\":", 10)) != NULL) {
		k = ev->source.p;
		kl = (size_t)(off - ev->source.p);
	} else if (ev->source.n > sizeof(file) && memcmp(ev->source.p, file,
	    sizeof(file) - 1) == 0 && (off = lp_memmem(ev->source.p,
	    ev->source.n, ",\"line\":", 8)) != NULL) {
		k = ev->source.p;
		kl = (size_t)(off - ev->source.p);
	} else {
		kl = (size_t)snprintf(key, sizeof(key), "\001%u", input_no);
		k = key;
	}
	if ((st = map_get(&s->map, k, kl)) != NULL)
		return st;
	st = xcalloc(1, sizeof(*st));
	st->key = xmemdup(k, kl);
	st->klen = kl;
	st->watermark = st->last = INT64_MIN;
	*map_put(&s->map, st->key, kl) = st;
	xgrow(&s->all, &s->cap, s->n + 1, sizeof(*s->all));
	s->all[s->n++] = st;
	return st;
}

void
stream_saw(struct stream *st, int64_t t)
{
	if (t > st->watermark)
		st->watermark = t;
	st->last = t;
}

void
streams_release(struct streams *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++) {
		free(s->all[i]->key);
		free(s->all[i]);
	}
	free(s->all);
	map_release(&s->map);
	memset(s, 0, sizeof(*s));
}
