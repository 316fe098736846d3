/*
 * source.c - source objects; see source.h.
 */
#include <string.h>

#include "jw.h"
#include "source.h"

/* A member that must be an integer (or null); false if it is not. */
static bool
integer(const struct jdoc *d, int tok, int64_t *v)
{
	const struct jtok *t = &d->t[tok];
	double		 x;

	if (t->type == J_NULL)
		return true;
	if (t->type != J_NUMBER)
		return false;
	x = jdoc_num(d, tok);
	if (!(x > -9e18 && x < 9e18) || x != (double)(int64_t)x)
		return false;		/* out of range (or inf), or a fraction */
	*v = (int64_t)x;
	return true;
}

/* A member that must be a string (or null). */
static bool
string(const struct jdoc *d, int tok, struct strview *v)
{
	const struct jtok *t = &d->t[tok];

	if (t->type == J_NULL)
		return true;
	if (t->type != J_STRING || (t->flags & JT_BADUTF8))
		return false;
	v->p = d->src + t->start + 1;
	v->n = t->end - t->start - 2;
	v->json = true;
	return true;
}

bool
source_parse(const char *text, size_t n, struct jdoc *doc,
    struct buf *scratch, struct source *s)
{
	const char	*key;
	size_t		 kl;
	uint32_t	 m, k;
	bool		 ok = true;
	int		 v;

	memset(s, 0, sizeof(*s));
	s->line = s->partition = s->offset = s->index = -1;
	buf_reset(scratch);
	buf_addc(scratch, '{');
	buf_add(scratch, text, n);
	buf_addc(scratch, '}');
	if (!jdoc_parse(doc, scratch->p, scratch->len))
		return false;
	for (m = 0, k = 1; ok && m < doc->t[0].count;
	    m++, k = doc->t[k + 1].next) {
		key = doc->src + doc->t[k].start + 1;
		kl = doc->t[k].end - doc->t[k].start - 2;
		v = (int)k + 1;
#define IS(s)	(kl == sizeof(s) - 1 && memcmp(key, s, kl) == 0)
		if (IS("file"))
			ok = string(doc, v, &s->file);
		else if (IS("line"))
			ok = integer(doc, v, &s->line);
		else if (IS("topic"))
			ok = string(doc, v, &s->topic);
		else if (IS("partition"))
			ok = integer(doc, v, &s->partition);
		else if (IS("offset"))
			ok = integer(doc, v, &s->offset);
		else if (IS("key"))
			/* kcat writes a key that is not UTF-8 as is: keep
			 * what can be kept, never fail the record for it */
			(void)string(doc, v, &s->key);
		else if (IS("ts")) {
			int64_t ts = -1;
			ok = integer(doc, v, &ts);
			s->has_ts = ok && doc->t[v].type == J_NUMBER;
			s->ts_ms = ts;
		} else if (IS("index"))
			ok = integer(doc, v, &s->index);
#undef IS
	}
	return ok;
}

/* Members written so far decide whether a comma goes first. */
struct mw {
	struct buf	*out;
	bool		 first;
};

static void
put_view(struct mw *w, const char *key, const struct strview *v)
{
	if (!w->first)
		buf_addc(w->out, ',');
	w->first = false;
	jw_key(w->out, key);
	if (v->p == NULL)
		jw_null(w->out);
	else if (v->json) {
		buf_addc(w->out, '"');
		buf_add(w->out, v->p, v->n);
		buf_addc(w->out, '"');
	} else
		jw_str(w->out, v->p, v->n);
}

static void
put_int(struct mw *w, const char *key, int64_t v)
{
	if (!w->first)
		buf_addc(w->out, ',');
	w->first = false;
	jw_key(w->out, key);
	jw_int(w->out, v);
}

void
source_write(struct buf *out, const struct source *s)
{
	struct mw	 w = { out, true };

	if (s->file.p != NULL) {
		put_view(&w, "file", &s->file);
		put_int(&w, "line", s->line);
	}
	if (s->topic.p != NULL) {
		put_view(&w, "topic", &s->topic);
		put_int(&w, "partition", s->partition);
		put_int(&w, "offset", s->offset);
		put_view(&w, "key", &s->key);
		if (s->has_ts)
			put_int(&w, "ts", s->ts_ms);
	}
	if (s->index >= 0)
		put_int(&w, "index", s->index);
}

bool
source_is_kafka(const struct source *s)
{
	return s->topic.p != NULL && s->partition >= 0 && s->offset >= 0;
}
