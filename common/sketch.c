/*
 * sketch.c - the logarithmic-bucket quantile sketch; see sketch.h.
 *
 * The buckets in use are kept as one dense array whose first and last
 * buckets are never empty; it is rebuilt when a value falls outside it,
 * which happens about once per new extreme, so a few dozen times over
 * millions of values of one distribution.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "sketch.h"

/* Indexes stay far inside int32_t: |log(DBL_MAX) / log(g)| < 36000. */
#define INDEX_MIN	(-40000)
#define INDEX_MAX	40000

/* ln(g) and its inverse, g = (1 + alpha) / (1 - alpha). */
static double	 ln_gamma, inv_ln_gamma;

static void
setup(void)
{
	if (ln_gamma == 0) {
		ln_gamma = log((1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA));
		inv_ln_gamma = 1 / ln_gamma;
	}
}

/* The bucket of x >= SKETCH_MIN: the i with g^(i-1) < x <= g^i. */
static int32_t
bucket(double x)
{
	if (x > DBL_MAX)
		x = DBL_MAX;	/* inf: the last bucket there is */
	return (int32_t)ceil(log(x) * inv_ln_gamma);
}

/* The value bucket i answers with: its midpoint in relative terms. */
static double
bucket_value(int32_t i)
{
	double	 g = exp(ln_gamma);

	return 2 * exp(i * ln_gamma) / (g + 1);
}

/*
 * Make the array cover exactly [lo, hi], hi at least its present top;
 * buckets below lo are folded into lo.
 */
static void
cover(struct sketch *s, int32_t lo, int32_t hi)
{
	uint32_t	 n = (uint32_t)(hi - lo + 1), j;
	uint64_t	*nb;
	int32_t		 b;

	if (s->nbins > 0 && lo == s->off && n == s->nbins)
		return;
	if (s->nbins == 0 && n <= s->cap) {
		memset(s->bins, 0, n * sizeof(*s->bins));
		s->off = lo;
		s->nbins = n;
		return;
	}
	nb = xcalloc(n, sizeof(*nb));
	for (j = 0; j < s->nbins; j++) {
		b = s->off + (int32_t)j;
		nb[(b < lo ? lo : b) - lo] += s->bins[j];
	}
	free(s->bins);
	s->bins = nb;
	s->off = lo;
	s->nbins = s->cap = n;
}

/*
 * Make room for buckets lo..hi (lo <= hi) beside those in use, folding
 * the lowest past SKETCH_MAX_BINS; returns the lowest bucket kept, into
 * which anything lower must be counted.
 */
static int32_t
extend(struct sketch *s, int32_t lo, int32_t hi)
{
	if (s->nbins > 0) {
		if (s->off < lo)
			lo = s->off;
		if (s->off + (int32_t)s->nbins - 1 > hi)
			hi = s->off + (int32_t)s->nbins - 1;
	}
	if (hi - lo + 1 > SKETCH_MAX_BINS)
		lo = hi - SKETCH_MAX_BINS + 1;
	cover(s, lo, hi);
	return lo;
}

/* Drop empty buckets at both ends, so that the invariant holds again. */
static void
trim(struct sketch *s)
{
	uint32_t	 a = 0, n = s->nbins;

	while (a < n && s->bins[a] == 0)
		a++;
	while (n > a && s->bins[n - 1] == 0)
		n--;
	if (a > 0 && n > a)
		memmove(s->bins, s->bins + a, (n - a) * sizeof(*s->bins));
	s->off += (int32_t)a;
	s->nbins = n > a ? n - a : 0;
}

void
sketch_add(struct sketch *s, double x)
{
	int32_t	 i, lo;

	if (isnan(x))
		return;
	if (x < 0)
		x = 0;
	if (s->count == 0 || x < s->min)
		s->min = x;
	if (s->count == 0 || x > s->max)
		s->max = x;
	s->count++;
	s->sum += x;
	if (x < SKETCH_MIN) {
		s->zeros++;
		return;
	}
	setup();
	i = bucket(x);
	if (s->nbins == 0 || i < s->off || i >= s->off + (int32_t)s->nbins) {
		lo = extend(s, i, i);
		if (i < lo)
			i = lo;
	}
	s->bins[i - s->off]++;
}

bool
sketch_remove(struct sketch *s, double x)
{
	int32_t	 i;

	if (isnan(x) || s->count == 0)
		return false;
	if (x < 0)
		x = 0;
	if (x < SKETCH_MIN) {
		if (s->zeros == 0)
			return false;
		s->zeros--;
	} else {
		setup();
		i = bucket(x);
		if (s->nbins == 0)
			return false;
		if (i < s->off)
			i = s->off;	/* it was folded */
		if (i >= s->off + (int32_t)s->nbins || s->bins[i - s->off] == 0)
			return false;
		s->bins[i - s->off]--;
		trim(s);
	}
	s->count--;
	s->sum -= x;
	if (s->count == 0)
		s->sum = 0;
	return true;
}

void
sketch_merge(struct sketch *dst, const struct sketch *src)
{
	uint32_t	 j;
	int32_t		 lo, b;

	if (src->count == 0)
		return;
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->count == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->zeros += src->zeros;
	dst->sum += src->sum;
	if (src->nbins == 0)
		return;
	lo = extend(dst, src->off, src->off + (int32_t)src->nbins - 1);
	for (j = 0; j < src->nbins; j++) {
		b = src->off + (int32_t)j;
		dst->bins[(b < lo ? lo : b) - dst->off] += src->bins[j];
	}
}

double
sketch_quantile(const struct sketch *s, double q)
{
	uint64_t	 rank, cum;
	uint32_t	 j;
	double		 v;

	if (s->count == 0)
		return NAN;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	rank = (uint64_t)floor(q * (double)(s->count - 1));
	cum = s->zeros;
	if (rank < cum)
		return s->min;	/* 0, clamped to [min, max] */
	setup();
	v = s->max;
	for (j = 0; j < s->nbins; j++) {
		cum += s->bins[j];
		if (cum > rank) {
			v = bucket_value(s->off + (int32_t)j);
			break;
		}
	}
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

void
sketch_write(const struct sketch *s, struct buf *out)
{
	uint32_t	 j;

	buf_addlit(out, "{\"alpha\":");
	jw_num(out, SKETCH_ALPHA);
	buf_addlit(out, ",\"count\":");
	jw_int(out, (int64_t)s->count);
	buf_addlit(out, ",\"zeros\":");
	jw_int(out, (int64_t)s->zeros);
	buf_addlit(out, ",\"sum\":");
	jw_num(out, s->sum);
	buf_addlit(out, ",\"min\":");
	if (s->count > 0)
		jw_num(out, s->min);
	else
		jw_null(out);
	buf_addlit(out, ",\"max\":");
	if (s->count > 0)
		jw_num(out, s->max);
	else
		jw_null(out);
	buf_addlit(out, ",\"offset\":");
	jw_int(out, s->nbins > 0 ? s->off : 0);
	buf_addlit(out, ",\"bins\":[");
	for (j = 0; j < s->nbins; j++) {
		if (j > 0)
			buf_addc(out, ',');
		jw_int(out, (int64_t)s->bins[j]);
	}
	buf_addlit(out, "]}");
}

static bool
bad(struct buf *why, const char *what)
{
	buf_reset(why);
	buf_addf(why, "bad sketch: %s", what);
	return false;
}

/* A JSON integer in [0, 2^53] (exact as a double), into *v. */
static bool
count_of(const struct jdoc *d, int tok, uint64_t *v)
{
	double	 x;

	if (d->t[tok].type != J_NUMBER)
		return false;
	x = jdoc_num(d, tok);
	if (!(x >= 0 && x <= 9007199254740992.0) || x != floor(x))
		return false;
	*v = (uint64_t)x;
	return true;
}

bool
sketch_read(struct sketch *s, const struct jdoc *d, int tok, struct buf *why)
{
	static const char *const names[] = { "alpha", "count", "zeros", "sum",
	    "min", "max", "offset", "bins" };
	int		 v[8], i, b;
	uint32_t	 j, k;
	uint64_t	 c, total;
	double		 x;

	sketch_reset(s);
	if (d->t[tok].type != J_OBJECT)
		return bad(why, "not an object");
	for (i = 0; i < 8; i++) {
		v[i] = jdoc_get(d, tok, names[i], strlen(names[i]));
		if (v[i] < 0)
			return bad(why, names[i][0] == 'a' ? "no 'alpha'" :
			    "a member is missing");
	}
	if (d->t[v[0]].type != J_NUMBER ||
	    fabs(jdoc_num(d, v[0]) - SKETCH_ALPHA) > 1e-12)
		return bad(why, "another alpha than 0.01");
	if (!count_of(d, v[1], &s->count) || !count_of(d, v[2], &s->zeros))
		return bad(why, "'count' or 'zeros' is not a count");
	if (d->t[v[3]].type != J_NUMBER)
		return bad(why, "'sum' is not a number");
	s->sum = jdoc_num(d, v[3]);
	if (!isfinite(s->sum) || s->sum < 0)
		return bad(why, "'sum' is not a number");
	for (i = 4; i <= 5; i++) {
		if (d->t[v[i]].type == J_NULL && s->count == 0)
			continue;
		if (d->t[v[i]].type != J_NUMBER)
			return bad(why, "'min' or 'max' is not a number");
		x = jdoc_num(d, v[i]);
		if (!isfinite(x) || x < 0)
			return bad(why, "'min' or 'max' is not a number");
		*(i == 4 ? &s->min : &s->max) = x;
	}
	if (s->count > 0 && s->min > s->max)
		return bad(why, "'min' is more than 'max'");
	if (d->t[v[6]].type != J_NUMBER)
		return bad(why, "'offset' is not a bucket");
	x = jdoc_num(d, v[6]);
	if (x != floor(x) || x < INDEX_MIN || x > INDEX_MAX)
		return bad(why, "'offset' is not a bucket");
	b = (int)x;
	if (d->t[v[7]].type != J_ARRAY)
		return bad(why, "'bins' is not an array");
	if (d->t[v[7]].count > SKETCH_MAX_BINS ||
	    b + (int)d->t[v[7]].count > INDEX_MAX)
		return bad(why, "too many bins");
	total = s->zeros;
	if (d->t[v[7]].count > 0) {
		cover(s, b, b + (int)d->t[v[7]].count - 1);
		for (j = 0, k = (uint32_t)v[7] + 1; j < d->t[v[7]].count;
		    j++, k = d->t[k].next) {
			if (!count_of(d, (int)k, &c))
				return bad(why, "a bin is not a count");
			s->bins[j] = c;
			if ((total += c) > 9007199254740992ULL)
				return bad(why, "counts too large");
		}
		trim(s);
	}
	if (total != s->count)
		return bad(why, "'count' is not zeros plus the bins");
	return true;
}

void
sketch_reset(struct sketch *s)
{
	s->nbins = 0;
	s->off = 0;
	s->count = s->zeros = 0;
	s->sum = s->min = s->max = 0;
}

void
sketch_release(struct sketch *s)
{
	free(s->bins);
	memset(s, 0, sizeof(*s));
}
