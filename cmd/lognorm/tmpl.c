/*
 * tmpl.c - classifying messages by loghub-style templates; see tmpl.h.
 *
 * Loading: the CSV is read record by record (RFC 4180, line numbers kept
 * through quoted newlines for messages), each template is cut into its
 * literal pieces, the templates are sorted once by specificity, and each is
 * filed in the index under its rarest standalone word.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "tmpl.h"

#define WILDCARD	"<*>"
#define WILDLEN		3

/* The CSV being read. */
struct csv {
	const char	*p, *e;
	long		 line;		/* of *p, from 1 */
	long		 errline;	/* where the error is */
	const char	*why;
};

static bool
is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/*
 * Read one record at c->p into the first two fields f[0], f[1] (further
 * fields are read and dropped).  Returns the number of fields, or -1 with
 * c->why and c->errline set.
 */
static int
csv_record(struct csv *c, struct buf f[2])
{
	struct buf	 skip = BUF_INIT, *out;
	int		 nf = 0;
	long		 qline;

	for (;;) {
		out = nf < 2 ? &f[nf] : &skip;
		buf_reset(out);
		if (c->p < c->e && *c->p == '"') {
			qline = c->line;
			for (c->p++;; c->p++) {
				if (c->p == c->e) {
					c->errline = qline;
					c->why = "unterminated quoted field";
					buf_release(&skip);
					return -1;
				}
				if (*c->p == '"') {
					if (c->p + 1 == c->e || c->p[1] != '"')
						break;
					c->p++;
				} else if (*c->p == '\n')
					c->line++;
				buf_addc(out, *c->p);
			}
			c->p++;		/* the closing quote */
			if (c->p < c->e && *c->p != ',' && *c->p != '\n' &&
			    *c->p != '\r') {
				c->errline = c->line;
				c->why = "text after a closing quote";
				buf_release(&skip);
				return -1;
			}
		} else
			while (c->p < c->e && *c->p != ',' && *c->p != '\n' &&
			    *c->p != '\r')
				buf_addc(out, *c->p++);
		nf++;
		if (c->p < c->e && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->e && *c->p == '\r')
			c->p++;
		if (c->p < c->e && *c->p == '\n') {
			c->p++;
			c->line++;
		}
		buf_release(&skip);
		return nf;
	}
}

/* Cut te's text into literal pieces around the wildcards. */
static void
entry_compile(struct tmpl_entry *te)
{
	const char	*s = te->text, *e = s + te->textlen, *w;
	size_t		 cap = 0;

	te->nseg = 0;
	te->literal = 0;
	for (;;) {
		w = lp_memmem(s, (size_t)(e - s), WILDCARD, WILDLEN);
		xgrow(&te->segoff, &cap, (size_t)te->nseg + 1,
		    sizeof(*te->segoff));
		te->seglen = xreallocarray(te->seglen, cap,
		    sizeof(*te->seglen));
		te->segoff[te->nseg] = (size_t)(s - te->text);
		te->seglen[te->nseg] = (size_t)((w ? w : e) - s);
		te->literal += te->seglen[te->nseg];
		te->nseg++;
		if (w == NULL)
			break;
		s = w + WILDLEN;
	}
}

/* Most specific first: most literal text, fewest wildcards, file order. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct tmpl_entry *x = a, *y = b;

	if (x->literal != y->literal)
		return x->literal > y->literal ? -1 : 1;
	if (x->nseg != y->nseg)
		return x->nseg < y->nseg ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * Call fn for each standalone word of te: a run of non-separators inside
 * a literal piece with a separator or an end of the template, never a
 * wildcard, on each side.
 */
static void
entry_words(const struct tmpl_entry *te, void (*fn)(void *, const char *,
    size_t), void *arg)
{
	const char	*s, *e, *w;
	int		 i;

	for (i = 0; i < te->nseg; i++) {
		s = te->text + te->segoff[i];
		e = s + te->seglen[i];
		while (s < e) {
			while (s < e && is_sep(*s))
				s++;
			for (w = s; w < e && !is_sep(*w); w++)
				;
			/* next to a wildcard: part of a longer message word */
			if (w > s && !(s == te->text + te->segoff[i] && i > 0) &&
			    !(w == e && i < te->nseg - 1))
				fn(arg, s, (size_t)(w - s));
			s = w;
		}
	}
}

static void
count_word(void *arg, const char *w, size_t n)
{
	void	**v = map_put(arg, w, n);

	*v = (void *)((uintptr_t)*v + 1);
}

/* The word chosen for an entry: the rarest, then the longest. */
struct choice {
	const struct map *counts;
	const char	*word;
	size_t		 wlen;
	uintptr_t	 count;
};

static void
choose_word(void *arg, const char *w, size_t n)
{
	struct choice	*ch = arg;
	uintptr_t	 k = (uintptr_t)map_get(ch->counts, w, n);

	if (ch->word == NULL || k < ch->count ||
	    (k == ch->count && n > ch->wlen)) {
		ch->word = w;
		ch->wlen = n;
		ch->count = k;
	}
}

/* File every template under its word, or with the loose ones. */
static void
build_index(struct tmpl *tp)
{
	struct map	 counts = MAP_INIT;
	struct choice	 ch;
	struct tmpl_bucket *b;
	void		**v;
	size_t		 loosecap = 0;
	int		 i;

	for (i = 0; i < tp->n; i++)
		entry_words(&tp->t[i], count_word, &counts);
	for (i = 0; i < tp->n; i++) {
		memset(&ch, 0, sizeof(ch));
		ch.counts = &counts;
		entry_words(&tp->t[i], choose_word, &ch);
		if (ch.word == NULL) {
			xgrow(&tp->loose, &loosecap, tp->nloose + 1,
			    sizeof(*tp->loose));
			tp->loose[tp->nloose++] = i;
			continue;
		}
		v = map_put(&tp->index, ch.word, ch.wlen);
		if ((b = *v) == NULL) {
			b = *v = xcalloc(1, sizeof(*b));
			b->word = ch.word;
			b->wlen = ch.wlen;
		}
		xgrow(&b->rank, &b->cap, b->n + 1, sizeof(*b->rank));
		b->rank[b->n++] = i;
	}
	map_release(&counts);
}

/* Report "name:line: what" and give up the templates read so far. */
static bool
load_error(struct tmpl *tp, struct buf *errmsg, const char *name, long line,
    const char *what)
{
	buf_reset(errmsg);
	buf_addf(errmsg, "%s:%ld: %s", name, line, what);
	tmpl_release(tp);
	return false;
}

bool
tmpl_load_text(struct tmpl *tp, const char *name, const char *text,
    size_t len, struct buf *errmsg)
{
	struct csv	 c = { text, text + len, 1, 0, NULL };
	struct buf	 f[2] = { BUF_INIT, BUF_INIT };
	struct tmpl_entry *te;
	const char	*nul, *q;
	size_t		 cap = 0;
	long		 line;
	int		 nf;
	bool		 ok = true;

	memset(tp, 0, sizeof(*tp));
	if ((nul = memchr(text, '\0', len)) != NULL) {
		for (line = 1, q = text; (q = memchr(q, '\n',
		    (size_t)(nul - q))) != NULL; q++)
			line++;
		return load_error(tp, errmsg, name, line, "NUL byte");
	}
	/* The header line. */
	if (csv_record(&c, f) < 0)
		ok = load_error(tp, errmsg, name, c.errline, c.why);
	while (ok && c.p < c.e) {
		line = c.line;
		if (*c.p == '\n' || (*c.p == '\r' && c.p + 1 < c.e &&
		    c.p[1] == '\n')) {
			c.p += *c.p == '\r' ? 2 : 1;
			c.line++;
			continue;
		}
		if ((nf = csv_record(&c, f)) < 0)
			ok = load_error(tp, errmsg, name, c.errline, c.why);
		else if (nf < 2)
			ok = load_error(tp, errmsg, name, line,
			    "expected EventId,EventTemplate");
		else if (f[0].len == 0)
			ok = load_error(tp, errmsg, name, line, "empty EventId");
		else if (f[1].len == 0)
			ok = load_error(tp, errmsg, name, line,
			    "empty EventTemplate");
		if (!ok)
			break;
		xgrow(&tp->t, &cap, (size_t)tp->n + 1, sizeof(*tp->t));
		te = &tp->t[tp->n];
		memset(te, 0, sizeof(*te));
		te->id = buf_detach(&f[0], NULL);
		te->text = buf_detach(&f[1], &te->textlen);
		te->order = tp->n++;
		entry_compile(te);
	}
	buf_release(&f[0]);
	buf_release(&f[1]);
	if (!ok)
		return false;
	if (tp->n > 1)
		qsort(tp->t, (size_t)tp->n, sizeof(*tp->t), entry_cmp);
	build_index(tp);
	return true;
}

bool
tmpl_load(struct tmpl *tp, const char *path, struct buf *errmsg)
{
	struct buf	 text = BUF_INIT;
	bool		 ok;

	memset(tp, 0, sizeof(*tp));
	if (!buf_read_file(&text, path)) {
		buf_reset(errmsg);
		buf_addf(errmsg, "%s: %s", path, strerror(errno));
		buf_release(&text);
		return false;
	}
	ok = tmpl_load_text(tp, path, text.p, text.len, errmsg);
	buf_release(&text);
	return ok;
}

static bool
entry_match(const struct tmpl_entry *te, const char *s, size_t n)
{
	const char	*p = s, *e = s + n, *hit, *seg;
	size_t		 k = (size_t)te->nseg - 1, len;
	int		 i;

	/* The first piece anchors the start, the last the end. */
	if (te->seglen[0] > n || memcmp(s, te->text, te->seglen[0]) != 0)
		return false;
	p += te->seglen[0];
	if (te->nseg == 1)
		return p == e;
	len = te->seglen[k];
	seg = te->text + te->segoff[k];
	if (len > (size_t)(e - p) || memcmp(e - len, seg, len) != 0)
		return false;
	e -= len;
	/* Middle pieces, leftmost first: optimal for '*' wildcards. */
	for (i = 1; i < te->nseg - 1; i++) {
		if (te->seglen[i] == 0)
			continue;
		hit = lp_memmem(p, (size_t)(e - p), te->text + te->segoff[i],
		    te->seglen[i]);
		if (hit == NULL)
			return false;
		p = hit + te->seglen[i];
	}
	return true;
}

/* The first template of list[0..n) (ranks, ascending) below best that
 * matches, or best. */
static int
try_list(const struct tmpl *tp, const int *list, size_t n, int best,
    const char *msg, size_t len)
{
	size_t	 i;

	for (i = 0; i < n && list[i] < best; i++)
		if (entry_match(&tp->t[list[i]], msg, len))
			return list[i];
	return best;
}

const struct tmpl_entry *
tmpl_match(struct tmpl *tp, const char *msg, size_t n)
{
	const char	*s = msg, *e = msg + n, *w;
	struct tmpl_bucket *b;
	int		 best = INT_MAX;

	if (tp->n == 0)
		return NULL;
	tp->pass++;
	best = try_list(tp, tp->loose, tp->nloose, best, msg, n);
	while (s < e) {
		while (s < e && is_sep(*s))
			s++;
		for (w = s; w < e && !is_sep(*w); w++)
			;
		if (w > s && (b = map_get(&tp->index, s, (size_t)(w - s))) !=
		    NULL && b->seen != tp->pass) {
			b->seen = tp->pass;
			best = try_list(tp, b->rank, b->n, best, msg, n);
		}
		s = w;
	}
	return best == INT_MAX ? NULL : &tp->t[best];
}

void
tmpl_release(struct tmpl *tp)
{
	size_t		 pos = 0, klen;
	const char	*key;
	void		*v;
	int		 i;

	while (map_next(&tp->index, &pos, &key, &klen, &v)) {
		free(((struct tmpl_bucket *)v)->rank);
		free(v);
	}
	map_release(&tp->index);
	for (i = 0; i < tp->n; i++) {
		free(tp->t[i].id);
		free(tp->t[i].text);
		free(tp->t[i].segoff);
		free(tp->t[i].seglen);
	}
	free(tp->t);
	free(tp->loose);
	memset(tp, 0, sizeof(*tp));
}
