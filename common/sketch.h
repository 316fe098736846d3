/*
 * sketch.h - a mergeable quantile sketch with a relative-error bound.
 *
 * A sketch of the DDSketch family (Masson, Rim, Lee, VLDB 2019): positive
 * values are counted in logarithmic buckets, bucket i holding the values in
 * (g^(i-1), g^i] with g = (1 + a) / (1 - a), and a quantile is answered
 * with the bucket's midpoint 2 g^i / (g + 1).  Every estimate is then
 * within a relative error of a = SKETCH_ALPHA (1%) of the true value of
 * that rank, whatever the distribution:
 *
 *	|sketch_quantile(s, q) - x| <= 0.01 * x
 *
 * where x is the value of rank floor(q * (count - 1)) (from 0) of the
 * sorted values added.  Values below SKETCH_MIN (zero, and negative ones,
 * which are taken as zero) are counted apart and answered as 0.
 *
 * The buckets are a dense array of counts between the lowest and highest
 * bucket in use.  More than SKETCH_MAX_BINS of them (a range of values of
 * more than 10^17 to 1) fold the lowest into one: the bound then holds
 * for the quantiles above the folded range.  Counts are integers, so two
 * sketches merge exactly: the merge of the sketches of two sets is the
 * sketch of their union, bucket for bucket; a value can be taken out
 * again (sketch_remove) as it was put in.  count, sum, min and max are
 * kept exactly beside the buckets (min and max are not lowered again by
 * sketch_remove).
 *
 * In records the sketch is a JSON object (sketch_write, sketch_read):
 *
 *	{"alpha":0.01,"count":5,"zeros":0,"sum":60.5,"min":10.2,"max":14.1,
 *	 "offset":117,"bins":[2,0,0,1,2]}
 *
 * bins[j] counting bucket offset + j; count is zeros plus the bins.
 *
 *	struct sketch s = SKETCH_INIT;
 *	sketch_add(&s, 12.5);
 *	p95 = sketch_quantile(&s, 0.95);
 *	sketch_release(&s);
 */
#ifndef LP_SKETCH_H
#define LP_SKETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "json.h"

#define SKETCH_ALPHA	0.01	/* the relative-error bound */
#define SKETCH_MIN	1e-9	/* smaller values count as zeros */
#define SKETCH_MAX_BINS	2048	/* buckets kept; the lowest fold past it */

struct sketch {
	uint64_t	*bins;		/* nbins counts, of buckets off.. */
	int32_t		 off;		/* the bucket of bins[0] */
	uint32_t	 nbins, cap;
	uint64_t	 count;		/* values in all */
	uint64_t	 zeros;		/* of which below SKETCH_MIN */
	double		 sum, min, max;	/* min, max meaningful when count > 0 */
};

#define SKETCH_INIT { NULL, 0, 0, 0, 0, 0, 0, 0, 0 }

/* Add the value x (NaN is ignored; negative counts as zero). */
void	sketch_add(struct sketch *s, double x);

/*
 * Take out a value x added before (a correction); false, changing
 * nothing, if its bucket is empty.
 */
bool	sketch_remove(struct sketch *s, double x);

/* Add every value of src to dst (src unchanged). */
void	sketch_merge(struct sketch *dst, const struct sketch *src);

/*
 * The estimate of the q-quantile (0 <= q <= 1) within the bound above,
 * clamped to [min, max]; NaN when the sketch is empty.
 */
double	sketch_quantile(const struct sketch *s, double q);

/* Append s as the JSON object above. */
void	sketch_write(const struct sketch *s, struct buf *out);

/*
 * Read the JSON object at token tok of d (parsed) into s, which is reset
 * first and keeps its storage.  Returns false with the reason in why when
 * it is not a sketch of this kind: another alpha, counts that do not add
 * up, a member of the wrong type.
 */
bool	sketch_read(struct sketch *s, const struct jdoc *d, int tok,
	    struct buf *why);

/* Forget every value, keep the storage. */
void	sketch_reset(struct sketch *s);

/* Free the storage; s is empty and reusable.  Accepts an empty s. */
void	sketch_release(struct sketch *s);

#endif
