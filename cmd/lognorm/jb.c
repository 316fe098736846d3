/*
 * jb.c - a JSON object and its tokens written at once; see jb.h.
 */
#include <string.h>

#include "jb.h"
#include "jw.h"
#include "lp.h"

/* A new token at the end of doc. */
static struct jtok *
tok_new(struct jdoc *d)
{
	if (d->n == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 256;
		d->t = xreallocarray(d->t, cap, sizeof(*d->t));
		d->cap = cap;
	}
	return &d->t[d->n++];
}

void
jb_start(struct jb *b, struct jdoc *doc, struct buf *text)
{
	struct jtok	*t;

	b->text = text;
	b->doc = doc;
	buf_reset(text);
	doc->n = 0;
	doc->err = NULL;
	b->open[0] = 0;
	b->depth = 1;
	t = tok_new(doc);
	t->type = J_OBJECT;
	t->flags = 0;
	t->start = 0;
	t->count = 0;
	buf_addc(text, '{');
}

void
jb_key(struct jb *b, const char *name, size_t n)
{
	struct jtok	*t;

	struct buf	*x = b->text;
	char		*o;

	if (x->cap - x->len <= n + 4)
		buf_grow(x, n + 4);
	o = x->p + x->len;
	if (b->doc->t[b->open[b->depth - 1]].count > 0)
		*o++ = ',';
	t = tok_new(b->doc);
	t->type = J_STRING;
	t->flags = 0;
	t->start = (uint32_t)(o - x->p);
	t->end = t->start + (uint32_t)n + 2;
	t->next = b->doc->n;
	t->count = 0;
	*o++ = '"';
	memcpy(o, name, n);
	o += n;
	*o++ = '"';
	*o++ = ':';
	*o = '\0';
	x->len = (size_t)(o - x->p);
}

/* The tokens of d (from token 0), appended with their offsets moved by
 * off and their indices by base. */
static void
copy_tokens(struct jdoc *to, const struct jdoc *d, uint32_t off)
{
	uint32_t	 base = to->n, i;
	struct jtok	*t;

	if (to->cap < to->n + d->n) {
		uint32_t cap = to->cap ? to->cap : 256;
		while (cap < to->n + d->n)
			cap *= 2;
		to->t = xreallocarray(to->t, cap, sizeof(*to->t));
		to->cap = cap;
	}
	for (i = 0; i < d->n; i++) {
		t = &to->t[base + i];
		*t = d->t[i];
		t->start += off;
		t->end += off;
		t->next += base;
	}
	to->n += d->n;
}

void
jb_value(struct jb *b, const char *v, size_t n)
{
	struct jtok	*t;
	uint32_t	 off = (uint32_t)b->text->len;

	b->doc->t[b->open[b->depth - 1]].count++;
	switch (v[0]) {
	case '{':
	case '[':
		/* a container: its tokens from its text */
		if (!jdoc_parse(&b->tmp, v, n))
			lp_errx(LP_EXIT_FAIL, "internal error: a decoder wrote "
			    "invalid JSON: %s", b->tmp.err);
		buf_add(b->text, v, n);
		copy_tokens(b->doc, &b->tmp, off);
		return;
	case '"':
		t = tok_new(b->doc);
		t->type = J_STRING;
		t->flags = memchr(v, '\\', n) != NULL ? JT_ESCAPED : 0;
		break;
	case 't':
		t = tok_new(b->doc);
		t->type = J_TRUE;
		t->flags = 0;
		break;
	case 'f':
		t = tok_new(b->doc);
		t->type = J_FALSE;
		t->flags = 0;
		break;
	case 'n':
		t = tok_new(b->doc);
		t->type = J_NULL;
		t->flags = 0;
		break;
	default:
		t = tok_new(b->doc);
		t->type = J_NUMBER;
		t->flags = 0;
		break;
	}
	t->start = off;
	t->end = off + (uint32_t)n;
	t->next = b->doc->n;
	t->count = 0;
	buf_add(b->text, v, n);
}

void
jb_key_str(struct jb *b, const char *name, size_t n)
{
	struct jtok	*t;
	size_t		 start;

	if (b->doc->t[b->open[b->depth - 1]].count > 0)
		buf_addc(b->text, ',');
	start = b->text->len;
	jw_str(b->text, name, n);
	t = tok_new(b->doc);
	t->type = J_STRING;
	t->flags = memchr(b->text->p + start, '\\', b->text->len - start) ?
	    JT_ESCAPED : 0;
	t->start = (uint32_t)start;
	t->end = (uint32_t)b->text->len;
	t->next = b->doc->n;
	t->count = 0;
	buf_addc(b->text, ':');
}

void
jb_open(struct jb *b)
{
	struct jtok	*t;

	if (b->depth == (int)(sizeof(b->open) / sizeof(b->open[0])))
		lp_errx(LP_EXIT_FAIL, "internal error: objects nested too "
		    "deep in a decoder");
	b->doc->t[b->open[b->depth - 1]].count++;
	t = tok_new(b->doc);
	t->type = J_OBJECT;
	t->flags = 0;
	t->start = (uint32_t)b->text->len;
	t->count = 0;
	b->open[b->depth++] = b->doc->n - 1;
	buf_addc(b->text, '{');
}

void
jb_close(struct jb *b)
{
	struct jtok	*t = &b->doc->t[b->open[--b->depth]];

	buf_addc(b->text, '}');
	t->end = (uint32_t)b->text->len;
	t->next = b->doc->n;
}

void
jb_finish(struct jb *b)
{
	jb_close(b);
	b->doc->src = b->text->p;
	b->doc->len = b->text->len;
}

void
jb_release(struct jb *b)
{
	jdoc_release(&b->tmp);
}
