/*
 * deliver.c - the knobs between a generated line and the output: --drop
 * loses it, --dup sends it twice, --shuffle holds it back among the lines
 * that follow.  They draw from their own generator (krng), so that the
 * flows are the same with and without them.
 */
#include <stdint.h>
#include <stdlib.h>

#include "heap.h"
#include "loggen.h"
#include "out.h"

/*
 * The shuffle window.  Line i is given the key i + d, d drawn from
 * [0, N]; after line i goes in, every line whose key is at most i comes
 * out, smallest key first.  No line moves more than N places and at most
 * N + 1 lines are held.
 */
struct held {
	uint64_t	 key;
	uint64_t	 seq;
	char		*s;
	size_t		 n;
};

static struct heap	 hold;		/* struct held, smallest key first */
static uint64_t		 nheld;		/* lines pushed so far */

static bool
held_before(const void *a, const void *b)
{
	const struct held	*x = a, *y = b;

	return x->key < y->key || (x->key == y->key && x->seq < y->seq);
}

void
deliver_init(void)
{
	heap_init(&hold, sizeof(struct held), held_before, NULL);
}

/* Write out, smallest key first, every held line whose key is <= upto. */
static void
hold_drain(uint64_t upto)
{
	const struct held	*top;
	struct held		 h;

	while ((top = heap_top(&hold)) != NULL && top->key <= upto) {
		heap_pop(&hold, &h);
		if (!out_closed) {
			buf_add(&out_buf, h.s, h.n);
			out_commit();
		}
		free(h.s);
	}
}

static void
hold_push(const char *s, size_t n)
{
	struct held	 h;

	h.seq = nheld;
	h.key = nheld + (uint64_t)rng_range(&krng, 0, cfg.shuffle);
	h.s = xmemdup(s, n);
	h.n = n;
	heap_push(&hold, &h);
	hold_drain(nheld++);
}

int
deliver(const char *s, size_t n, bool knobs)
{
	int	 copies = 1, i;

	if (knobs) {
		if (rng_chance(&krng, cfg.pdrop))
			return 0;
		if (rng_chance(&krng, cfg.pdup))
			copies = 2;
	}
	for (i = 0; i < copies; i++) {
		if (cfg.shuffle > 0)
			hold_push(s, n);
		else {
			buf_add(&out_buf, s, n);
			out_commit();
		}
	}
	return copies;
}

void
deliver_finish(void)
{
	hold_drain(UINT64_MAX);
	heap_release(&hold);
}
