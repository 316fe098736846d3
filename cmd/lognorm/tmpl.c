/*
 * tmpl.c - classifying messages by loghub-style templates; see tmpl.h.
 */
#include <errno.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "tmpl.h"

/*
 * Read one CSV field starting at *p (RFC 4180: quoted fields may hold
 * commas, newlines and doubled quotes).  Returns false at a malformed
 * quote.
 */
static bool
csv_field(const char **p, const char *e, struct buf *out)
{
	const char	*s = *p;

	buf_reset(out);
	if (s < e && *s == '"') {
		for (s++; s < e; s++) {
			if (*s == '"') {
				if (s + 1 < e && s[1] == '"') {
					buf_addc(out, '"');
					s++;
					continue;
				}
				s++;
				break;
			}
			buf_addc(out, *s);
		}
		if (s < e && *s != ',' && *s != '\n' && *s != '\r')
			return false;
	} else
		while (s < e && *s != ',' && *s != '\n' && *s != '\r')
			buf_addc(out, *s++);
	if (out->p == NULL)
		buf_grow(out, 0);
	*p = s;
	return true;
}

static void
entry_compile(struct tmpl_entry *te)
{
	const char	*s = te->text, *w;

	te->nseg = 0;
	te->literal = 0;
	for (;;) {
		w = strstr(s, "<*>");
		te->seg = xreallocarray(te->seg, (size_t)te->nseg + 1,
		    sizeof(char *));
		te->seglen = xreallocarray(te->seglen, (size_t)te->nseg + 1,
		    sizeof(size_t));
		te->seg[te->nseg] = (char *)s;
		te->seglen[te->nseg] = w ? (size_t)(w - s) : strlen(s);
		te->literal += te->seglen[te->nseg];
		te->nseg++;
		if (w == NULL)
			break;
		s = w + 3;
	}
}

bool
tmpl_load(struct tmpl *tp, const char *path, struct buf *errmsg)
{
	struct buf	 text = BUF_INIT, id = BUF_INIT, tx = BUF_INIT;
	const char	*p, *e;
	int		 line = 1, i;
	struct tmpl_entry *te;

	memset(tp, 0, sizeof(*tp));
	if (!buf_read_file(&text, path)) {
		buf_reset(errmsg);
		buf_addf(errmsg, "%s: %s", path, strerror(errno));
		buf_release(&text);
		return false;
	}
	p = text.p;
	e = p + text.len;
	/* The header line. */
	p = memchr(p, '\n', (size_t)(e - p));
	p = p ? p + 1 : e;
	while (p < e) {
		if (*p == '\r') {
			p++;
			continue;
		}
		line++;
		if (*p == '\n') {
			p++;
			continue;
		}
		if (!csv_field(&p, e, &id) || p >= e || *p != ',' ||
		    (p++, !csv_field(&p, e, &tx))) {
			buf_reset(errmsg);
			buf_addf(errmsg, "%s:%d: expected EventId,EventTemplate",
			    path, line);
			buf_release(&text);
			buf_release(&id);
			buf_release(&tx);
			tmpl_release(tp);
			return false;
		}
		while (p < e && *p != '\n')	/* extra columns ignored */
			p++;
		if (p < e)
			p++;
		tp->t = xreallocarray(tp->t, (size_t)tp->n + 1, sizeof(*tp->t));
		te = &tp->t[tp->n++];
		memset(te, 0, sizeof(*te));
		te->id = buf_detach(&id, NULL);
		te->text = buf_detach(&tx, NULL);
		entry_compile(te);
	}
	buf_release(&text);
	buf_release(&id);
	buf_release(&tx);
	/* Most specific first; a stable insertion sort keeps file order. */
	for (i = 1; i < tp->n; i++) {
		int j = i;
		struct tmpl_entry t = tp->t[i];
		while (j > 0 && (tp->t[j - 1].literal < t.literal ||
		    (tp->t[j - 1].literal == t.literal &&
		    tp->t[j - 1].nseg > t.nseg))) {
			tp->t[j] = tp->t[j - 1];
			j--;
		}
		tp->t[j] = t;
	}
	return true;
}

static bool
entry_match(const struct tmpl_entry *te, const char *s, size_t n)
{
	const char	*p = s, *e = s + n, *hit;
	size_t		 k = (size_t)te->nseg - 1, len;
	int		 i;

	/* The first piece anchors the start, the last the end. */
	if (te->seglen[0] > n || memcmp(s, te->seg[0], te->seglen[0]) != 0)
		return false;
	p += te->seglen[0];
	if (te->nseg == 1)
		return p == e;
	len = te->seglen[k];
	if (len > (size_t)(e - p) || memcmp(e - len, te->seg[k], len) != 0)
		return false;
	e -= len;
	/* Middle pieces, leftmost first: optimal for '*' wildcards. */
	for (i = 1; i < te->nseg - 1; i++) {
		if (te->seglen[i] == 0)
			continue;
		hit = lp_memmem(p, (size_t)(e - p), te->seg[i], te->seglen[i]);
		if (hit == NULL)
			return false;
		p = hit + te->seglen[i];
	}
	return true;
}

const struct tmpl_entry *
tmpl_match(const struct tmpl *tp, const char *msg, size_t n)
{
	int	 i;

	for (i = 0; i < tp->n; i++)
		if (entry_match(&tp->t[i], msg, n))
			return &tp->t[i];
	return NULL;
}

void
tmpl_release(struct tmpl *tp)
{
	int	 i;

	for (i = 0; i < tp->n; i++) {
		free(tp->t[i].id);
		free(tp->t[i].text);
		free(tp->t[i].seg);
		free(tp->t[i].seglen);
	}
	free(tp->t);
	memset(tp, 0, sizeof(*tp));
}
