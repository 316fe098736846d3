/*
 * json.c - a validating JSON tokenizer; see json.h.
 *
 * Recursive descent over the text, one token appended per value.  The only
 * allocation is the token array, which keeps its size between records.
 */
#include <err.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jw.h"
#include "lp.h"
#include "utf8.h"


struct jparse {
	struct jdoc	*d;
	const unsigned char *s;
	size_t		 pos, len;
	int		 depth;
};

static bool	parse_value(struct jparse *);

static bool
fail(struct jparse *p, const char *why)
{
	if (p->d->err == NULL) {
		p->d->err = why;
		p->d->errpos = p->pos;
	}
	return false;
}

static inline void
skip_ws(struct jparse *p)
{
	if (p->pos < p->len && p->s[p->pos] > ' ')
		return;
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];
		if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
			break;
		p->pos++;
	}
}

static uint32_t
new_tok(struct jparse *p, enum jtype type)
{
	struct jdoc	*d = p->d;
	struct jtok	*t;

	if (d->n == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 256;
		d->t = xreallocarray(d->t, cap, sizeof(*t));
		d->cap = cap;
	}
	t = &d->t[d->n];
	t->type = (uint8_t)type;
	t->flags = 0;
	t->start = (uint32_t)p->pos;
	t->count = 0;
	return d->n++;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The value of four hex digits at s, or ULONG_MAX if they are not. */
static unsigned long
hex4(const char *s)
{
	int	 a = hexval((unsigned char)s[0]), b = hexval((unsigned char)s[1]);
	int	 c = hexval((unsigned char)s[2]), d = hexval((unsigned char)s[3]);

	if ((a | b | c | d) < 0)
		return ULONG_MAX;
	return (unsigned long)(a << 12 | b << 8 | c << 4 | d);
}

static bool
parse_string(struct jparse *p)
{
	uint32_t	 i = new_tok(p, J_STRING);
	const unsigned char *s = p->s;
	size_t		 k;

	p->pos++;	/* opening quote */
	for (;;) {
		p->pos += json_plain_run(s + p->pos, p->len - p->pos);
		if (p->pos >= p->len)
			return fail(p, "unterminated string");
		switch (s[p->pos]) {
		case '"':
			p->pos++;
			p->d->t[i].end = (uint32_t)p->pos;
			p->d->t[i].next = i + 1;
			return true;
		case '\\':
			p->d->t[i].flags |= JT_ESCAPED;
			if (p->pos + 1 >= p->len)
				return fail(p, "unterminated string");
			switch (s[p->pos + 1]) {
			case '"': case '\\': case '/': case 'b':
			case 'f': case 'n': case 'r': case 't':
				p->pos += 2;
				break;
			case 'u':
				if (p->pos + 6 > p->len || hexval(s[p->pos + 2]) < 0 ||
				    hexval(s[p->pos + 3]) < 0 || hexval(s[p->pos + 4]) < 0 ||
				    hexval(s[p->pos + 5]) < 0)
					return fail(p, "invalid \\u escape");
				p->pos += 6;
				break;
			default:
				return fail(p, "invalid escape in string");
			}
			break;
		default:
			if (s[p->pos] < 0x20)
				return fail(p, "control character in string");
			k = utf8_valid_seq(s + p->pos, p->len - p->pos);
			if (k == 0) {
				p->d->t[i].flags |= JT_BADUTF8;
				k = 1;
			}
			p->pos += k;
			break;
		}
	}
}

static bool
parse_number(struct jparse *p)
{
	uint32_t	 i = new_tok(p, J_NUMBER);
	const unsigned char *s = p->s;
	size_t		 n = p->len;

	if (p->pos < n && s[p->pos] == '-')
		p->pos++;
	if (p->pos < n && s[p->pos] == '0')
		p->pos++;
	else if (p->pos < n && s[p->pos] >= '1' && s[p->pos] <= '9')
		while (p->pos < n && s[p->pos] >= '0' && s[p->pos] <= '9')
			p->pos++;
	else
		return fail(p, "invalid number");
	if (p->pos < n && s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= n || s[p->pos] < '0' || s[p->pos] > '9')
			return fail(p, "invalid number");
		while (p->pos < n && s[p->pos] >= '0' && s[p->pos] <= '9')
			p->pos++;
	}
	if (p->pos < n && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < n && (s[p->pos] == '+' || s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= n || s[p->pos] < '0' || s[p->pos] > '9')
			return fail(p, "invalid number");
		while (p->pos < n && s[p->pos] >= '0' && s[p->pos] <= '9')
			p->pos++;
	}
	p->d->t[i].end = (uint32_t)p->pos;
	p->d->t[i].next = i + 1;
	return true;
}

static bool
parse_word(struct jparse *p, const char *w, size_t wl, enum jtype type)
{
	uint32_t i;

	if (p->len - p->pos < wl || memcmp(p->s + p->pos, w, wl) != 0)
		return fail(p, "invalid literal");
	i = new_tok(p, type);
	p->pos += wl;
	p->d->t[i].end = (uint32_t)p->pos;
	p->d->t[i].next = i + 1;
	return true;
}

static bool
parse_container(struct jparse *p, bool obj)
{
	uint32_t	 i = new_tok(p, obj ? J_OBJECT : J_ARRAY);
	uint32_t	 count = 0;
	unsigned char	 close = obj ? '}' : ']';

	if (++p->depth > JSON_MAX_DEPTH)
		return fail(p, "nesting too deep");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		goto done;
	}
	for (;;) {
		if (obj) {
			if (p->pos >= p->len)
				return fail(p, "unexpected end of input");
			if (p->s[p->pos] != '"')
				return fail(p, "expected string key");
			if (!parse_string(p))
				return false;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, "expected ':'");
			p->pos++;
			skip_ws(p);
		}
		if (!parse_value(p))
			return false;
		count++;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, obj ? "unterminated object" :
			    "unterminated array");
		if (p->s[p->pos] == ',') {
			p->pos++;
			skip_ws(p);
			continue;
		}
		if (p->s[p->pos] == close) {
			p->pos++;
			break;
		}
		return fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
done:
	p->depth--;
	p->d->t[i].end = (uint32_t)p->pos;
	p->d->t[i].next = p->d->n;
	p->d->t[i].count = count;
	return true;
}

static bool
parse_value(struct jparse *p)
{
	if (p->pos >= p->len)
		return fail(p, "unexpected end of input");
	switch (p->s[p->pos]) {
	case '{':
		return parse_container(p, true);
	case '[':
		return parse_container(p, false);
	case '"':
		return parse_string(p);
	case 't':
		return parse_word(p, "true", 4, J_TRUE);
	case 'f':
		return parse_word(p, "false", 5, J_FALSE);
	case 'n':
		return parse_word(p, "null", 4, J_NULL);
	default:
		if (p->s[p->pos] == '-' ||
		    (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'))
			return parse_number(p);
		return fail(p, "unexpected character");
	}
}

bool
jdoc_parse(struct jdoc *d, const char *s, size_t n)
{
	struct jparse	 p = { d, (const unsigned char *)s, 0, n, 0 };

	d->src = s;
	d->len = n;
	d->n = 0;
	d->err = NULL;
	d->errpos = 0;
	if (n >= UINT32_MAX)
		return fail(&p, "document too large");
	skip_ws(&p);
	if (!parse_value(&p))
		return false;
	skip_ws(&p);
	if (p.pos != n)
		return fail(&p, "trailing data after JSON value");
	return true;
}

void
jdoc_release(struct jdoc *d)
{
	free(d->t);
	d->t = NULL;
	d->n = d->cap = 0;
}

/* Whether key token k is exactly key[0..klen). */
static bool
key_eq(const struct jdoc *d, int k, const char *key, size_t klen)
{
	const struct jtok *t = &d->t[k];

	if (!(t->flags & JT_ESCAPED)) {
		const char *s = d->src + t->start + 1;
		size_t i;
		if (t->end - t->start - 2 != klen)
			return false;
		/* Keys are short: a loop beats a call to memcmp. */
		for (i = 0; i < klen; i++)
			if (s[i] != key[i])
				return false;
		return true;
	}
	return jdoc_str_eq(d, k, key, klen);
}

int
jdoc_get(const struct jdoc *d, int obj, const char *key, size_t klen)
{
	uint32_t	 k, m;

	if (obj < 0 || d->t[obj].type != J_OBJECT)
		return -1;
	k = (uint32_t)obj + 1;
	for (m = 0; m < d->t[obj].count; m++) {
		if (key_eq(d, (int)k, key, klen))
			return (int)k + 1;
		k = d->t[k + 1].next;
	}
	return -1;
}

int
jdoc_path(const struct jdoc *d, int obj, const char *path, size_t plen)
{
	const char	*dot;
	size_t		 seg;

	if (plen < 64 && memchr(path, '.', plen) == NULL)
		return jdoc_get(d, obj, path, plen);
	while (obj >= 0) {
		dot = memchr(path, '.', plen);
		seg = dot ? (size_t)(dot - path) : plen;
		obj = jdoc_get(d, obj, path, seg);
		if (dot == NULL)
			break;
		path += seg + 1;
		plen -= seg + 1;
	}
	return obj;
}

void
json_unescape(const char *s, size_t n, struct buf *out)
{
	const char	*e = s + n;
	unsigned long	 cp, lo;
	char		 enc[4];

	while (s < e) {
		const char *bs = memchr(s, '\\', (size_t)(e - s));
		if (bs == NULL || e - bs < 2) {
			buf_add(out, s, (size_t)(e - s));
			break;
		}
		buf_add(out, s, (size_t)(bs - s));
		s = bs + 2;
		switch (bs[1]) {
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'u':
			if (e - s < 4 || (cp = hex4(s)) > 0xffff) {
				buf_addlit(out, "\xef\xbf\xbd");
				break;
			}
			s += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && e - s >= 6 &&
			    s[0] == '\\' && s[1] == 'u' &&
			    (lo = hex4(s + 2)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				s += 6;
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;
			buf_add(out, enc, utf8_encode(cp, enc));
			break;
		default:	/* '"', '\\', '/' */
			buf_addc(out, bs[1]);
			break;
		}
	}
	if (out->p == NULL)
		buf_grow(out, 0);
}

void
jdoc_str(const struct jdoc *d, int i, struct buf *scratch, const char **pp,
    size_t *np)
{
	const struct jtok *t = &d->t[i];
	const char	*s = d->src + t->start + 1;
	size_t		 n = t->end - t->start - 2;

	if (!(t->flags & JT_ESCAPED)) {
		*pp = s;
		*np = n;
		return;
	}
	buf_reset(scratch);
	json_unescape(s, n, scratch);
	*pp = scratch->p;
	*np = scratch->len;
}

bool
jdoc_str_eq(const struct jdoc *d, int i, const char *s, size_t n)
{
	struct buf	 tmp = BUF_INIT;
	const char	*p;
	size_t		 len;
	bool		 eq;

	if (d->t[i].type != J_STRING)
		return false;
	jdoc_str(d, i, &tmp, &p, &len);
	eq = len == n && memcmp(p, s, n) == 0;
	buf_release(&tmp);
	return eq;
}

double
jdoc_num(const struct jdoc *d, int i)
{
	return json_num(d->src + d->t[i].start, d->t[i].end - d->t[i].start);
}

double
json_num(const char *s, size_t n)
{
	char	 tmp[64];
	char	*copy;
	double	 v;

	if (n < sizeof(tmp)) {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		return strtod(tmp, NULL);
	}
	/* Long number text is rare but valid: never cut it. */
	copy = xmemdup(s, n);
	v = strtod(copy, NULL);
	free(copy);
	return v;
}

void
jdoc_write(const struct jdoc *d, int i, struct buf *out)
{
	const struct jtok *t = &d->t[i];
	uint32_t	 k, m;
	struct buf	 tmp = BUF_INIT;
	const char	*p;
	size_t		 n;

	switch (t->type) {
	case J_STRING:
		if (t->flags & JT_BADUTF8) {
			jdoc_str(d, i, &tmp, &p, &n);
			jw_str(out, p, n);
			buf_release(&tmp);
			return;
		}
		/* FALLTHROUGH */
	case J_NULL: case J_FALSE: case J_TRUE: case J_NUMBER:
		buf_add(out, d->src + t->start, t->end - t->start);
		return;
	case J_ARRAY:
	case J_OBJECT:
		buf_addc(out, t->type == J_OBJECT ? '{' : '[');
		k = (uint32_t)i + 1;
		for (m = 0; m < t->count; m++) {
			if (m > 0)
				buf_addc(out, ',');
			if (t->type == J_OBJECT) {
				jdoc_write(d, (int)k, out);
				buf_addc(out, ':');
				k++;
			}
			jdoc_write(d, (int)k, out);
			k = d->t[k].next;
		}
		buf_addc(out, t->type == J_OBJECT ? '}' : ']');
		return;
	}
}
