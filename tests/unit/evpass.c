/*
 * evpass - the record layer as a page: a filter built on common/ alone.
 *
 *	evpass [file ...]	read event records and write each back: the
 *				read -> write pass-through that make bench
 *				times against cat
 *	evpass -k [file ...]	keep the last failure of each correlation id
 *				(owned copies, in a map) and write them at
 *				the end, in the order the ids were first seen
 *
 * Not installed; built for the benchmark and the tests (tests/01-unit.bats).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "event.h"
#include "lp.h"
#include "map.h"
#include "out.h"
#include "reader.h"
#include "reject.h"

/* The failures kept, in the order their ids were first seen; the map
 * gives each id's place in that order, plus one. */
static struct map	 kept = MAP_INIT;
static struct event	**order;
static size_t		 norder, caporder;

static void
keep(const struct event *ev)
{
	const struct strview *id = &ev->f[EF_CORRELATION_ID];
	struct event	*own;
	uintptr_t	 place;

	if (id->p == NULL || !event_failed(ev))
		return;
	own = event_dup(ev);		/* the line goes; the copy stays */
	place = (uintptr_t)map_get(&kept, id->p, id->n);
	if (place == 0) {
		xgrow(&order, &caporder, norder + 1, sizeof(*order));
		order[norder++] = own;
		place = norder;
	} else {
		/* the map's key lives in the copy it replaces */
		map_del(&kept, id->p, id->n);
		event_free(order[place - 1]);
		order[place - 1] = own;
	}
	*map_put(&kept, own->f[EF_CORRELATION_ID].p,
	    own->f[EF_CORRELATION_ID].n) = (void *)place;
}

int
main(int argc, char *argv[])
{
	struct reader	 rd;
	struct record	 rec;
	struct reject	 rej;
	struct event	 ev;
	struct buf	 scratch = BUF_INIT, why = BUF_INIT;
	int		 ch, keeping = 0, rval;
	size_t		 i;

	lp_init("evpass");
	while ((ch = getopt(argc, argv, "k")) != -1)
		if (ch == 'k')
			keeping = 1;
		else
			return LP_EXIT_USAGE;
	reject_open(&rej, "evpass", NULL);
	reader_init(&rd, "evpass", argv + optind, &rej, READER_QUIET);
	while (reader_next(&rd, &rec)) {
		if (rec.type != RT_EVENT) {
			reader_reject(&rd, &rec, "not an event");
			continue;
		}
		if (!event_read(rec.doc, &ev, &scratch, &why)) {
			reader_reject(&rd, &rec, "%s", why.p);
			continue;
		}
		if (keeping)
			keep(&ev);
		else {
			event_write(&out_buf, &ev);
			out_commit();
		}
	}
	for (i = 0; i < norder; i++) {
		event_write(&out_buf, order[i]);
		event_free(order[i]);
	}
	rval = rd.status;
	reader_release(&rd);
	if (!out_close())
		rval = LP_EXIT_FAIL;
	if (rej.count > 0 && rval == LP_EXIT_OK)
		rval = LP_EXIT_REJECT;
	reject_close(&rej);
	map_release(&kept);
	free(order);
	buf_release(&scratch);
	buf_release(&why);
	return lp_exit(rval);
}
