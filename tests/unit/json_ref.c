/*
 * json_ref.c - the reference JSON tokenizer for the tests: jdoc_parse() as
 * it was before it was made faster (commit 7c53f83, "the tokenizer runs as
 * one loop over the text"), kept word for word under the name jref_parse().
 * The differential tests (tests/unit/json_diff.c, tests/fuzz/json.c) hold
 * the real one to it: the same tokens, the same verdict, the same error at
 * the same place, for every input.  Never linked into the commands.
 */
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_ref.h"
#include "lp.h"
#include "utf8.h"

/*
 * The parser keeps its position in locals (pos, the text and its length
 * in registers): the token stores, which write bytes, would otherwise make
 * the compiler reload them after every one.  The helpers take the
 * position and return the one after what they read, or BAD on an error
 * (recorded in the jdoc).
 */
#define BAD	SIZE_MAX

struct jparse {
	struct jdoc	*d;
	const unsigned char *s;
	size_t		 len;
};

static size_t
fail(struct jparse *p, size_t pos, const char *why)
{
	if (p->d->err == NULL) {
		p->d->err = why;
		p->d->errpos = pos;
	}
	return BAD;
}

static inline size_t
skip_ws(const unsigned char *s, size_t pos, size_t len)
{
	/* compact JSON, the common case, has none */
	if (pos < len && s[pos] > ' ')
		return pos;
	while (pos < len && (s[pos] == ' ' || s[pos] == '\n' ||
	    s[pos] == '\t' || s[pos] == '\r'))
		pos++;
	return pos;
}

/* A new token of type starting at pos; returns its index. */
static inline uint32_t
new_tok(struct jdoc *d, enum jtype type, size_t pos)
{
	struct jtok	*t;

	if (d->n == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 256;
		d->t = xreallocarray(d->t, cap, sizeof(*t));
		d->cap = cap;
	}
	t = &d->t[d->n];
	t->type = (uint8_t)type;
	t->flags = 0;
	t->start = (uint32_t)pos;
	t->count = 0;
	return d->n++;
}

/* Close the scalar token i, which ends at pos. */
static inline size_t
end_tok(struct jparse *p, uint32_t i, size_t pos, uint8_t flags)
{
	struct jtok	*t = &p->d->t[i];

	t->end = (uint32_t)pos;
	t->next = i + 1;
	t->flags = flags;
	return pos;
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

/*
 * Bytes a JSON string holds as they are (0) and those that need a look:
 * the quote, the backslash, control characters (1), and the first byte
 * of a multi-byte sequence, to be checked for valid UTF-8 (2).
 */
static const unsigned char str_class[256] = {
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
};

/*
 * Length of the leading run of s[0..n) that a JSON string holds as it is
 * (str_class 0).  Sixteen bytes at a time with SSE2, which every x86-64
 * has: one compare each for the quote and the backslash, one for control
 * characters and the high bit; most strings end in the first round.
 */
static inline size_t
plain_run(const unsigned char *s, size_t n)
{
	size_t	 i = 0;

#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);
	__m128i	 x, m;
	int	 bits;

	for (; i + 16 <= n; i += 16) {
		x = _mm_loadu_si128((const __m128i *)(s + i));
		/* x <= 0x1f (unsigned) is min(x, 0x1f) == x */
		m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
		    _mm_cmpeq_epi8(x, bslash)),
		    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
		bits = _mm_movemask_epi8(m) | _mm_movemask_epi8(x);
		if (bits != 0)
			return i + (size_t)__builtin_ctz((unsigned)bits);
	}
#endif
	while (i < n && str_class[s[i]] == 0)
		i++;
	return i;
}

/* The string at pos (its opening quote). */
static inline size_t
parse_string(struct jparse *p, size_t pos)
{
	const unsigned char *s = p->s;
	size_t		 len = p->len, k;
	uint32_t	 i = new_tok(p->d, J_STRING, pos);
	uint8_t		 flags = 0;

	pos++;
	for (;;) {
		pos += plain_run(s + pos, len - pos);
		if (pos >= len)
			return fail(p, pos, "unterminated string");
		switch (s[pos]) {
		case '"':
			return end_tok(p, i, pos + 1, flags);
		case '\\':
			flags |= JT_ESCAPED;
			if (pos + 1 >= len)
				return fail(p, pos, "unterminated string");
			switch (s[pos + 1]) {
			case '"': case '\\': case '/': case 'b':
			case 'f': case 'n': case 'r': case 't':
				pos += 2;
				break;
			case 'u':
				if (pos + 6 > len || hexval(s[pos + 2]) < 0 ||
				    hexval(s[pos + 3]) < 0 || hexval(s[pos + 4]) < 0 ||
				    hexval(s[pos + 5]) < 0)
					return fail(p, pos, "invalid \\u escape");
				pos += 6;
				break;
			default:
				return fail(p, pos, "invalid escape in string");
			}
			break;
		default:
			if (s[pos] < 0x20)
				return fail(p, pos, "control character in string");
			k = utf8_valid_seq(s + pos, len - pos);
			if (k == 0) {
				flags |= JT_BADUTF8;
				k = 1;
			}
			pos += k;
			break;
		}
	}
}

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The number at pos. */
static size_t
parse_number(struct jparse *p, size_t pos)
{
	const unsigned char *s = p->s;
	size_t		 n = p->len;
	uint32_t	 i = new_tok(p->d, J_NUMBER, pos);

	if (pos < n && s[pos] == '-')
		pos++;
	if (pos < n && s[pos] == '0')
		pos++;
	else if (pos < n && s[pos] >= '1' && s[pos] <= '9')
		while (pos < n && is_digit(s[pos]))
			pos++;
	else
		return fail(p, pos, "invalid number");
	if (pos < n && s[pos] == '.') {
		pos++;
		if (pos >= n || !is_digit(s[pos]))
			return fail(p, pos, "invalid number");
		while (pos < n && is_digit(s[pos]))
			pos++;
	}
	if (pos < n && (s[pos] == 'e' || s[pos] == 'E')) {
		pos++;
		if (pos < n && (s[pos] == '+' || s[pos] == '-'))
			pos++;
		if (pos >= n || !is_digit(s[pos]))
			return fail(p, pos, "invalid number");
		while (pos < n && is_digit(s[pos]))
			pos++;
	}
	return end_tok(p, i, pos, 0);
}

/* A literal true, false or null at pos. */
static size_t
parse_word(struct jparse *p, size_t pos, const char *w, size_t wl,
    enum jtype type)
{
	if (p->len - pos < wl || memcmp(p->s + pos, w, wl) != 0)
		return fail(p, pos, "invalid literal");
	return end_tok(p, new_tok(p->d, type, pos), pos + wl, 0);
}

/* A scalar value (string, number, literal) at pos. */
static inline size_t
parse_scalar(struct jparse *p, size_t pos)
{
	switch (p->s[pos]) {
	case '"':
		return parse_string(p, pos);
	case 't':
		return parse_word(p, pos, "true", 4, J_TRUE);
	case 'f':
		return parse_word(p, pos, "false", 5, J_FALSE);
	case 'n':
		return parse_word(p, pos, "null", 4, J_NULL);
	default:
		if (p->s[pos] == '-' || is_digit(p->s[pos]))
			return parse_number(p, pos);
		return fail(p, pos, "unexpected character");
	}
}

/*
 * The document, iteratively: a stack of the open containers' tokens, no
 * recursion.  Each container's token gets its end, next and count when
 * it closes; an object's children alternate key and value.  Returns the
 * position after the value, or BAD.
 */
static size_t
parse_doc(struct jparse *p)
{
	uint32_t	 open[JSON_MAX_DEPTH + 1];
	const unsigned char *s = p->s;
	size_t		 pos = 0, len = p->len;
	struct jdoc	*d = p->d;
	struct jtok	*t;
	int		 depth = 0;
	unsigned char	 c;
	bool		 obj;

value:
	pos = skip_ws(s, pos, len);
	if (pos >= len)
		return fail(p, pos, "unexpected end of input");
	c = s[pos];
	if (c == '{' || c == '[') {
		if (depth == JSON_MAX_DEPTH)
			return fail(p, pos, "nesting too deep");
		open[depth++] = new_tok(d, c == '{' ? J_OBJECT : J_ARRAY, pos);
		pos = skip_ws(s, pos + 1, len);
		if (pos < len && s[pos] == (c == '{' ? '}' : ']'))
			goto close;
		if (c == '[')
			goto value;
		goto key;
	}
	if ((pos = parse_scalar(p, pos)) == BAD)
		return BAD;
after:
	/* a value is complete: it counts in its container */
	if (depth == 0)
		return pos;
	t = &d->t[open[depth - 1]];
	t->count++;
	obj = t->type == J_OBJECT;
	pos = skip_ws(s, pos, len);
	if (pos >= len)
		return fail(p, pos, obj ? "unterminated object" :
		    "unterminated array");
	c = s[pos];
	if (c == ',') {
		pos++;
		if (!obj)
			goto value;
		pos = skip_ws(s, pos, len);
		goto key;
	}
	if (c != (obj ? '}' : ']'))
		return fail(p, pos, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
close:
	pos++;
	t = &d->t[open[--depth]];
	t->end = (uint32_t)pos;
	t->next = d->n;
	goto after;
key:
	if (pos >= len)
		return fail(p, pos, "unexpected end of input");
	if (s[pos] != '"')
		return fail(p, pos, "expected string key");
	if ((pos = parse_string(p, pos)) == BAD)
		return BAD;
	pos = skip_ws(s, pos, len);
	if (pos >= len || s[pos] != ':')
		return fail(p, pos, "expected ':'");
	pos++;
	goto value;
}

bool
jref_parse(struct jdoc *d, const char *s, size_t n)
{
	struct jparse	 p = { d, (const unsigned char *)s, n };
	size_t		 pos;

	d->src = s;
	d->len = n;
	d->n = 0;
	d->err = NULL;
	d->errpos = 0;
	if (n >= UINT32_MAX) {
		fail(&p, 0, "document too large");
		return false;
	}
	if ((pos = parse_doc(&p)) == BAD)
		return false;
	if (skip_ws(p.s, pos, n) != n) {
		fail(&p, skip_ws(p.s, pos, n), "trailing data after JSON value");
		return false;
	}
	return true;
}
