/*
 * trace.c - reading trace and span records; see trace.h.
 */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "ts.h"

/* How a member is read. */
enum mkind { M_STR, M_TIME, M_NUM, M_INT, M_LONG, M_BOOL, M_OBJECT, M_ARRAY };

struct member {
	const char	*name;
	size_t		 len;		/* strlen(name) */
	enum mkind	 kind;
	size_t		 off;		/* of the field in the record struct */
	size_t		 flag;		/* of its has_ flag (M_TIME, M_NUM) */
};

/* A member's name and its length. */
#define N(name)	name, sizeof(name) - 1

#define S(f)	offsetof(struct span_rec, f)
/* In the order logproc(7) gives them: read_members finds
 * each the first place it looks. */
static const struct member span_members[] = {
	{ N("trace_id"),	M_STR,	S(trace_id), 0 },
	{ N("revision"),	M_LONG,	S(revision), 0 },
	{ N("span_id"),		M_STR,	S(span_id), 0 },
	{ N("parent_span_id"),	M_STR,	S(parent_span_id), 0 },
	{ N("service"),		M_STR,	S(service), 0 },
	{ N("target"),		M_STR,	S(target), 0 },
	{ N("name"),		M_STR,	S(name), 0 },
	{ N("kind"),		M_STR,	S(kind), 0 },
	{ N("start"),		M_TIME,	S(start_ms), S(has_start) },
	{ N("end"),		M_TIME,	S(end_ms), S(has_end) },
	{ N("duration_ms"),	M_NUM,	S(duration_ms), S(has_duration) },
	{ N("status"),		M_STR,	S(status), 0 },
	{ N("failure_reason"),	M_STR,	S(failure_reason), 0 },
	{ N("depth"),		M_INT,	S(depth), 0 },
	{ N("parent_inferred"),	M_BOOL,	S(parent_inferred), 0 },
	{ N("orphan"),		M_BOOL,	S(orphan), 0 },
	{ N("shared"),		M_BOOL,	S(shared), 0 },
	{ N("events"),		M_LONG,	S(events), 0 },
	{ N("checkpoints"),	M_ARRAY, S(checkpoints), 0 },
	{ N("attrs"),		M_OBJECT, S(attrs), 0 },
};
#undef S

#define T(f)	offsetof(struct trace_rec, f)
static const struct member trace_members[] = {
	{ N("trace_id"),	M_STR,	T(trace_id), 0 },
	{ N("correlation_id"),	M_STR,	T(correlation_id), 0 },
	{ N("start"),		M_TIME,	T(start_ms), T(has_start) },
	{ N("end"),		M_TIME,	T(end_ms), T(has_end) },
	{ N("duration_ms"),	M_NUM,	T(duration_ms), T(has_duration) },
	{ N("root"),		M_STR,	T(root), 0 },
	{ N("services"),	M_ARRAY, T(services), 0 },
	{ N("last_system"),	M_STR,	T(last_system), 0 },
	{ N("span_count"),	M_LONG,	T(span_count), 0 },
	{ N("error_count"),	M_LONG,	T(error_count), 0 },
	{ N("status"),		M_STR,	T(status), 0 },
	{ N("complete"),	M_BOOL,	T(complete), 0 },
	{ N("revision"),	M_LONG,	T(revision), 0 },
	{ N("model"),		M_STR,	T(model), 0 },
	{ N("problems"),	M_ARRAY, T(problems), 0 },
	{ N("failures"),	M_ARRAY, T(failures), 0 },
};
#undef T

static bool
bad(struct buf *why, const char *what, const char *name, const char *kind)
{
	buf_reset(why);
	buf_addf(why, "bad %s: '%s' is not %s", what, name, kind);
	return false;
}

/* A number token as a double: plain integers (most are) without strtod. */
static double
num(const struct jdoc *d, int v)
{
	const char	*p = d->src + d->t[v].start;
	size_t		 n = d->t[v].end - d->t[v].start, i;
	int64_t		 x = 0;

	if (n == 0 || n > 15)
		return jdoc_num(d, v);
	for (i = p[0] == '-'; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return jdoc_num(d, v);
		x = x * 10 + (p[i] - '0');
	}
	return p[0] == '-' ? -(double)x : (double)x;
}

/*
 * Read the members of object obj of d into rec by the table m; members
 * not in it are skipped, except "spans" whose token goes to *spans.
 */
static bool
read_members(const struct jdoc *d, int obj, const struct member *m, size_t nm,
    void *rec, const char *what, int *spans, struct buf *why)
{
	char		*base = rec;
	const struct jtok *t;
	const char	*key;
	size_t		 kl, i, j, last = nm - 1;
	uint32_t	 n, k;
	int		 v;
	struct ts_opts	 utc = { 1970, 0 };
	double		 x;

	for (n = 0, k = (uint32_t)obj + 1; n < d->t[obj].count;
	    n++, k = d->t[k + 1].next) {
		key = d->src + d->t[k].start + 1;
		kl = d->t[k].end - d->t[k].start - 2;
		v = (int)k + 1;
		t = &d->t[v];
		/* Writers put the members in about the table's order: the
		 * search starts after the last one found. */
		for (j = 0, i = last; j < nm; j++) {
			if (++i == nm)
				i = 0;
			if (m[i].len == kl && memcmp(m[i].name, key, kl) == 0)
				break;
		}
		if (j == nm) {
			if (spans != NULL && kl == 5 &&
			    memcmp(key, "spans", 5) == 0) {
				if (t->type != J_ARRAY)
					return bad(why, what, "spans",
					    "an array");
				*spans = v;
			}
			continue;
		}
		last = i;
		if (t->type == J_NULL)
			continue;
		switch (m[i].kind) {
		case M_STR: {
			struct strview *sv = (struct strview *)(base + m[i].off);
			if (t->type != J_STRING || (t->flags & JT_BADUTF8))
				return bad(why, what, m[i].name, "a string");
			sv->p = d->src + t->start + 1;
			sv->n = t->end - t->start - 2;
			sv->json = true;
			break;
		}
		case M_TIME:
			if (t->type != J_STRING || (!ts_parse_canonical(d->src +
			    t->start + 1, t->end - t->start - 2,
			    (int64_t *)(base + m[i].off)) && !ts_parse(d->src +
			    t->start + 1, t->end - t->start - 2, &utc,
			    (int64_t *)(base + m[i].off))))
				return bad(why, what, m[i].name, "a time");
			*(bool *)(base + m[i].flag) = true;
			break;
		case M_NUM:
			if (t->type != J_NUMBER)
				return bad(why, what, m[i].name, "a number");
			x = num(d, v);
			memcpy(base + m[i].off, &x, sizeof(x));
			*(bool *)(base + m[i].flag) = true;
			break;
		case M_INT:
		case M_LONG:
			if (t->type != J_NUMBER)
				return bad(why, what, m[i].name, "an integer");
			x = num(d, v);
			if (!(x > -9e18 && x < 9e18) ||
			    x != (double)(long)x || (m[i].kind == M_INT &&
			    (x > INT_MAX || x < INT_MIN)))
				return bad(why, what, m[i].name, "an integer");
			if (m[i].kind == M_INT)
				*(int *)(base + m[i].off) = (int)x;
			else
				*(long *)(base + m[i].off) = (long)x;
			break;
		case M_BOOL:
			if (t->type != J_TRUE && t->type != J_FALSE)
				return bad(why, what, m[i].name, "a boolean");
			*(bool *)(base + m[i].off) = t->type == J_TRUE;
			break;
		case M_OBJECT: {
			struct strview *sv = (struct strview *)(base + m[i].off);
			if (t->type != J_OBJECT)
				return bad(why, what, m[i].name, "an object");
			/* members as written: a compact record (as the
			 * trace records are written) gives compact members */
			sv->p = d->src + t->start + 1;
			sv->n = t->end - t->start - 2;
			sv->json = true;
			break;
		}
		case M_ARRAY:
			if (t->type != J_ARRAY)
				return bad(why, what, m[i].name, "an array");
			*(int *)(base + m[i].off) = v;
			break;
		}
	}
	return true;
}

bool
span_read(const struct jdoc *d, int tok, struct span_rec *s, struct buf *why)
{
	memset(s, 0, sizeof(*s));
	s->checkpoints = -1;
	s->tok = tok;
	s->attrs.p = "";
	if (d->t[tok].type != J_OBJECT) {
		buf_reset(why);
		buf_addlit(why, "bad span: not an object");
		return false;
	}
	return read_members(d, tok, span_members,
	    sizeof(span_members) / sizeof(span_members[0]), s, "span", NULL,
	    why);
}

bool
trace_read(const struct jdoc *d, struct trace_rec *t, struct buf *why)
{
	struct span_rec	*spans = t->spans;
	size_t		 cap = t->cap;
	int		 arr = -1;
	uint32_t	 i, k;

	memset(t, 0, sizeof(*t));
	t->spans = spans;
	t->cap = cap;
	t->services = t->problems = t->failures = -1;
	if (d->n == 0 || d->t[0].type != J_OBJECT) {
		buf_reset(why);
		buf_addlit(why, "bad trace: not an object");
		return false;
	}
	if (!read_members(d, 0, trace_members,
	    sizeof(trace_members) / sizeof(trace_members[0]), t, "trace", &arr,
	    why))
		return false;
	if (arr < 0)
		return true;
	xgrow(&t->spans, &t->cap, d->t[arr].count, sizeof(*t->spans));
	for (i = 0, k = (uint32_t)arr + 1; i < d->t[arr].count;
	    i++, k = d->t[k].next) {
		if (!span_read(d, (int)k, &t->spans[i], why))
			return false;
		t->nspans++;
	}
	return true;
}

void
trace_rec_release(struct trace_rec *t)
{
	free(t->spans);
	t->spans = NULL;
	t->nspans = t->cap = 0;
}

bool
status_failed(const struct strview *status)
{
	return strview_eq(status, "FAILURE", 7);
}
