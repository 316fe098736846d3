/*
 * unit_state.c - what the stateful filters keep: the map, the heap and
 * the latency sketch.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "heap.h"
#include "json.h"
#include "lp.h"
#include "map.h"
#include "sketch.h"

#include "tap.h"
#include "unit.h"

void
test_map(void)
{
	struct map	 m = MAP_INIT;
	char		 (*keys)[12] = malloc(100000 * sizeof(*keys));
	size_t		 i, pos = 0, seen = 0, klen;
	const char	*k;
	void		*v;
	bool		 good = true;

	for (i = 0; i < 100000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key-%zu", i);
		*map_put(&m, keys[i], strlen(keys[i])) = (void *)(i + 1);
	}
	for (i = 0; i < 100000; i++)
		good &= (size_t)map_get(&m, keys[i], strlen(keys[i])) == i + 1;
	ok(good && m.n == 100000, "map_put/map_get 100000 keys", NULL);
	/* delete every other key: the rest must still be found */
	for (i = 0; i < 100000; i += 2)
		good &= (size_t)map_del(&m, keys[i], strlen(keys[i])) == i + 1;
	for (i = 0; i < 100000; i++)
		good &= (size_t)map_get(&m, keys[i], strlen(keys[i])) ==
		    (i % 2 ? i + 1 : 0);
	ok(good && m.n == 50000, "map_del keeps the others reachable", NULL);
	while (map_next(&m, &pos, &k, &klen, &v))
		seen++;
	ok(seen == 50000, "map_next visits each entry once", NULL);
	ok(map_del(&m, "nope", 4) == NULL && map_get(&m, "", 0) == NULL,
	    "map absent keys", NULL);
	*map_put(&m, "", 0) = (void *)1;
	ok(map_get(&m, "", 0) == (void *)1, "map empty key", NULL);
	map_release(&m);
	free(keys);
}

struct item {
	long	 key;
	size_t	 seq;
	size_t	*where;		/* for heap_fix/heap_remove */
};

static bool
item_before(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->key < y->key || (x->key == y->key && x->seq < y->seq);
}

static void
item_moved(void *e, size_t i)
{
	*((struct item *)e)->where = i;
}

void
test_heap(void)
{
	struct heap	 h;
	struct item	 it, last = { LONG_MIN, 0, NULL };
	size_t		 where[1000], i, n = 0;
	bool		 good = true;

	heap_init(&h, sizeof(struct item), item_before, item_moved);
	for (i = 0; i < 1000; i++) {
		it.key = (long)((i * 7919) % 1000) / 10;	/* repeats */
		it.seq = i;
		it.where = &where[i];
		heap_push(&h, &it);
	}
	/* change some keys in place, remove others by index */
	for (i = 0; i < 1000; i += 10) {
		((struct item *)heap_at(&h, where[i]))->key = -5;
		heap_fix(&h, where[i]);
	}
	for (i = 5; i < 1000; i += 10)
		heap_remove(&h, where[i], NULL);
	while (heap_pop(&h, &it)) {
		good &= it.key > last.key || (it.key == last.key &&
		    it.seq > last.seq);
		last = it;
		n++;
	}
	ok(good && n == 900, "heap: order, heap_fix, heap_remove", NULL);
	heap_release(&h);
}

/* splitmix64: a reproducible stream of samples, the same on every machine. */
static uint64_t
rnd_next(uint64_t *st)
{
	uint64_t	 z = (*st += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double
rnd_unit(uint64_t *st)
{
	return ((double)(rnd_next(st) >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal, by Box-Muller. */
static double
rnd_normal(uint64_t *st)
{
	double	 u = rnd_unit(st), v = rnd_unit(st);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static bool
sketch_same(const struct sketch *a, const struct sketch *b)
{
	return a->count == b->count && a->zeros == b->zeros &&
	    a->nbins == b->nbins && (a->nbins == 0 || a->off == b->off) &&
	    memcmp(a->bins, b->bins, a->nbins * sizeof(*a->bins)) == 0 &&
	    a->min == b->min && a->max == b->max &&
	    fabs(a->sum - b->sum) <= 1e-9 * fabs(b->sum);
}

/*
 * The sketch's stated bound, on 10^6 samples of three distributions: its
 * p50, p95 and p99 within 1% of the exact ones (by sorting, rank
 * floor(q (n - 1))); the merge of the sketches of two halves is the
 * sketch of the whole; a sketch reads back as written.
 */
void
test_sketch(void)
{
	static const char *const dist[] = { "uniform", "lognormal", "bimodal" };
	static const double qs[] = { 0.5, 0.95, 0.99 };
	enum { N = 1000000 };
	double		*x = malloc(N * sizeof(*x)), *sorted = malloc(N * sizeof(*x));
	double		 est, exact, worst;
	struct sketch	 all = SKETCH_INIT, h1 = SKETCH_INIT, h2 = SKETCH_INIT;
	struct sketch	 back = SKETCH_INIT;
	struct buf	 b = BUF_INIT, why = BUF_INIT;
	struct jdoc	 d = JDOC_INIT;
	uint64_t	 st = 42;
	char		 msg[160];
	size_t		 i, k;
	int		 t;
	bool		 good;

	for (t = 0; t < 3; t++) {
		sketch_reset(&all);
		sketch_reset(&h1);
		sketch_reset(&h2);
		for (i = 0; i < N; i++) {
			if (t == 0)		/* 1 ms to 1 s */
				x[i] = 1 + 999 * rnd_unit(&st);
			else if (t == 1)	/* median e^3 = 20 ms */
				x[i] = exp(3 + 1.2 * rnd_normal(&st));
			else			/* fast path and slow path */
				x[i] = rnd_unit(&st) < 0.9 ?
				    fabs(12 + 2 * rnd_normal(&st)) :
				    fabs(800 + 150 * rnd_normal(&st));
			sketch_add(&all, x[i]);
			sketch_add(rnd_next(&st) & 1 ? &h1 : &h2, x[i]);
		}
		memcpy(sorted, x, N * sizeof(*x));
		qsort(sorted, N, sizeof(*sorted), cmp_double);
		worst = 0;
		good = all.count == N;
		for (k = 0; k < 3; k++) {
			exact = sorted[(size_t)floor(qs[k] * (N - 1))];
			est = sketch_quantile(&all, qs[k]);
			if (fabs(est - exact) / exact > worst)
				worst = fabs(est - exact) / exact;
			good &= fabs(est - exact) <= SKETCH_ALPHA * exact + 1e-12;
			if (k == 1) {
				snprintf(msg, sizeof(msg), "%s: p95 %.4f exact "
				    "%.4f", dist[t], est, exact);
			}
		}
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
		    ", worst relative error of p50/p95/p99 %.5f", worst);
		ok(good, "sketch: p50, p95, p99 within 1% on 10^6 samples", msg);
		sketch_merge(&h1, &h2);
		ok(sketch_same(&h1, &all), "sketch: merge of halves is the "
		    "sketch of the union", dist[t]);
		buf_reset(&b);
		sketch_write(&all, &b);
		ok(jdoc_parse(&d, b.p, b.len) && sketch_read(&back, &d, 0, &why)
		    && sketch_same(&back, &all), "sketch: reads back as written",
		    why.len ? why.p : dist[t]);
	}
	/* taking a value out restores the sketch it was added to */
	sketch_reset(&back);
	sketch_merge(&back, &all);
	sketch_add(&back, 1e6);
	sketch_add(&back, 0);
	ok(sketch_remove(&back, 1e6) && sketch_remove(&back, 0) &&
	    !sketch_remove(&back, 1e7) && back.count == all.count &&
	    back.nbins == all.nbins && back.off == all.off && memcmp(back.bins,
	    all.bins, all.nbins * sizeof(*all.bins)) == 0,
	    "sketch_remove undoes sketch_add", NULL);
	/* a range wider than SKETCH_MAX_BINS buckets folds the lowest; the
	 * upper quantiles keep the bound, and merging still equals the union */
	sketch_reset(&all);
	sketch_reset(&h1);
	sketch_reset(&h2);
	for (i = 0; i < 4000; i++) {
		double v = exp(-20 + 0.06 * (double)i);	/* 2e-9 .. 1e95 */
		sketch_add(&all, v);
		sketch_add(i % 3 ? &h1 : &h2, v);
	}
	sketch_merge(&h1, &h2);
	exact = exp(-20 + 0.06 * floor(0.95 * 3999));
	est = sketch_quantile(&all, 0.95);
	ok(all.nbins <= SKETCH_MAX_BINS && fabs(est - exact) <=
	    SKETCH_ALPHA * exact && sketch_same(&h1, &all),
	    "sketch: folding past SKETCH_MAX_BINS", NULL);
	sketch_reset(&all);
	ok(isnan(sketch_quantile(&all, 0.5)), "sketch: empty gives NaN", NULL);
	/* records that are not sketches of this kind are refused */
	{
		static const char *const bads[] = {
			"{\"alpha\":0.02,\"count\":0,\"zeros\":0,\"sum\":0,"
			"\"min\":null,\"max\":null,\"offset\":0,\"bins\":[]}",
			"{\"alpha\":0.01,\"count\":3,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"offset\":0,\"bins\":[1]}",
			"{\"alpha\":0.01,\"count\":1,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"offset\":0,\"bins\":[-1]}",
			"{\"alpha\":0.01,\"count\":1,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"offset\":99999,\"bins\":[1]}",
			"{\"alpha\":0.01,\"count\":1,\"zeros\":0,\"sum\":1,"
			"\"min\":1,\"max\":1,\"bins\":[1]}",
		};
		good = true;
		for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
			good &= jdoc_parse(&d, bads[i], strlen(bads[i])) &&
			    !sketch_read(&back, &d, 0, &why);
		ok(good, "sketch_read refuses what is not a sketch", NULL);
	}
	sketch_release(&all);
	sketch_release(&h1);
	sketch_release(&h2);
	sketch_release(&back);
	buf_release(&b);
	buf_release(&why);
	jdoc_release(&d);
	free(x);
	free(sorted);
}
