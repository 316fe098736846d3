/*
 * json.c - a validating JSON tokenizer; see json.h.
 *
 * One pass over the text, one token appended per value, the strings
 * found through the masks of jscan.h.  The only allocation is the token
 * array, which keeps its size between records.
 */
#include <err.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "json.h"
#include "jw.h"
#include "lp.h"
#include "utf8.h"


/*
 * The tokenizer: one loop over the text, a label for each state of the
 * grammar (a value, after a value, a key), the open containers on a stack
 * of their own, no recursion.  What it reads and writes at every byte or
 * token -- the position, the token array and how full it is, the cursor
 * below -- is kept in locals: the token stores, which write bytes, would
 * otherwise make the compiler reload them after every one.
 *
 * Strings, most of the text, are found through the special bytes of
 * jscan.h, by a cursor that takes them in order: a plain string is the
 * next two, its quotes.  Where the cursor is not at the string, or the
 * string holds other special bytes (escapes, multi-byte sequences,
 * control characters), the string is read byte by byte as before.
 *
 * Every check is made where and in the order the grammar meets it, so a
 * text is refused with the message and position of its first error, and
 * the tokens made until then are counted in d->n.  The short cuts marked
 * "compact" go through the same states, only quicker.
 */

/*
 * An open container: its token, its members or elements so far, and its
 * kind (J_OBJECT, J_ARRAY; 0 for the place of the root, the bottom of the
 * stack).  In memory, not registers: the hot paths need only the count,
 * one increment.
 */
struct jopen {
	uint32_t	 tok;
	uint32_t	 count;
	uint8_t		 kind;
};

/* Room for one more token in d->t, which is returned. */
static struct jtok *
grow(struct jdoc *d)
{
	uint32_t	 cap = d->cap ? d->cap * 2 : 256;

	d->t = xreallocarray(d->t, cap, sizeof(*d->t));
	d->cap = cap;
	return d->t;
}

/*
 * A cursor over the special bytes of the text (jscan.h), in order: w is
 * the mask of the block at cb, with the bits of those already taken
 * cleared; the next is at cb + ctz(w).  The position of a string's
 * closing quote then waits on nothing but the blsr that took its opening
 * quote, not on where the string before it ended (as a scan from the
 * opening quote would): strings are found many at a time, which is what
 * makes it fast.  The masks are made WIN_BLOCKS blocks at a time, when
 * the cursor reaches them, into win, for the text from wlo to whi.
 */
#define WIN_BLOCKS	32

struct jcur {
	size_t		 cb;
	uint64_t	 w;
};

/*
 * The parser's state that is not in registers: what the slow paths need,
 * and what the hot paths only compare with.
 */
struct jstate {
	struct jdoc	*d;
	size_t		 len;
	uint32_t	 cap;		/* of d->t */
	bool		 ws;		/* white space was skipped: skip_ws */
	size_t		 wlo, whi;
	uint64_t	 win[WIN_BLOCKS];
};

/* 1 for the bytes of white space: space, tab, new line, carriage return. */
static const unsigned char ws_class[256] = {
	0,0,0,0,0,0,0,0,0,1,1,0,0,1,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	1,
};

/*
 * The position of the first byte from pos that is not white space; if
 * there was any, d is not compact, and the cursor may be behind (tab, new
 * line and carriage return are special bytes it has not taken), which
 * x->ws tells scan_string.  The callers test the byte first (MAYBE_WS):
 * compact JSON, the common case, has none.
 */
static inline size_t
skip_ws(struct jstate *x, const unsigned char *s, size_t pos, size_t len)
{
	size_t	 from = pos;

	while (pos < len && ws_class[s[pos]])
		pos++;
	if (pos != from) {
		x->d->compact = false;
		x->ws = true;
	}
	return pos;
}

/* Whether s[pos] is past the end or could be white space. */
#define MAYBE_WS(s, pos, len)	((pos) >= (len) || (s)[pos] <= ' ')

/* Make the masks of the window of blocks from b (a multiple of 64). */
static void
win_fill(struct jstate *x, const unsigned char *s, size_t b)
{
	x->wlo = b;
	x->whi = x->len - b > 64 * WIN_BLOCKS ? b + 64 * WIN_BLOCKS : x->len;
	jscan_masks(s, x->len, b, x->whi, x->win);
}

/*
 * The cursor moved to the next block after cb that has a special byte,
 * making the masks of the next window if need be; w is 0 when there is
 * none before the end of the text.
 */
static struct jcur
cur_next_slow(struct jstate *x, const unsigned char *s, size_t cb)
{
	struct jcur	 c = { cb, 0 };

	while ((c.cb += 64) < x->len) {
		if (c.cb >= x->whi)
			win_fill(x, s, c.cb);
		if ((c.w = x->win[(c.cb - x->wlo) / 64]) != 0)
			break;
	}
	return c;
}

/* The same, inline for the common case: the next block, in the window. */
static inline __attribute__((always_inline)) struct jcur
cur_next(struct jstate *x, const unsigned char *s, size_t cb)
{
	struct jcur	 c;

	c.cb = cb + 64;
	if (__builtin_expect(c.cb < x->whi, 1) &&
	    (c.w = x->win[(c.cb - x->wlo) / 64]) != 0)
		return c;
	return cur_next_slow(x, s, cb);
}

/*
 * The position of the cursor's next special byte (c->w != 0).  In 32
 * bits, which texts under 4 GiB fit: ctz gives an int, and widening it
 * to 64 bits would cost an instruction each time.
 */
static inline size_t
cur_pos(const struct jcur *c)
{
	return (uint32_t)c->cb + (uint32_t)__builtin_ctzll(c->w);
}

/* A cursor at pos < len: the special bytes from pos on. */
static struct jcur
cur_at(struct jstate *x, const unsigned char *s, size_t pos)
{
	struct jcur	 c;

	c.cb = pos & ~(size_t)63;
	if (c.cb < x->wlo || c.cb >= x->whi)
		win_fill(x, s, c.cb);
	c.w = x->win[(c.cb - x->wlo) / 64] & ~0ULL << (pos & 63);
	return c;
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

unsigned long
json_hex4(const char *s)
{
	int	 a = hexval((unsigned char)s[0]), b = hexval((unsigned char)s[1]);
	int	 c = hexval((unsigned char)s[2]), d = hexval((unsigned char)s[3]);

	if ((a | b | c | d) < 0)
		return ULONG_MAX;
	return (unsigned long)(a << 12 | b << 8 | c << 4 | d);
}

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

#define BAD	SIZE_MAX

/*
 * The first position from pos that a string does not hold as it is, or
 * len: sixteen bytes at a time with SSE2, which every x86-64 has, the last
 * sixteen of the text read as the sixteen that end it; elsewhere eight at
 * a time (utf8.h).
 */
static inline size_t
plain_end(const unsigned char *s, size_t len, size_t pos)
{
#ifdef __SSE2__
	const __m128i	 q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
	const __m128i	 sp = _mm_set1_epi8(0x20);
	__m128i		 x;
	unsigned	 m;

	if (len >= 16)
		for (;;) {
			if (pos + 16 > len) {
				if (pos >= len)
					return len;
				/* the sixteen that end the text */
				x = _mm_loadu_si128((const __m128i *)(s + len -
				    16));
				m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
				    _mm_or_si128(_mm_cmpeq_epi8(x, q),
				    _mm_cmpeq_epi8(x, b)), _mm_cmplt_epi8(x, sp))) >>
				    (16 - (len - pos));
				return m != 0 ? pos + (unsigned)__builtin_ctz(m) :
				    len;
			}
			x = _mm_loadu_si128((const __m128i *)(s + pos));
			m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(x, q),
			    _mm_cmpeq_epi8(x, b)), _mm_cmplt_epi8(x, sp)));
			if (m != 0)
				return pos + (unsigned)__builtin_ctz(m);
			pos += 16;
		}
#endif
	return pos + json_plain_run(s + pos, len - pos);
}

/*
 * The rest of a string from pos, byte by byte, as jdoc_parse always read
 * strings before the cursor: escapes, multi-byte sequences, control
 * characters, with plain runs found sixteen bytes at a time.
 * Returns the position of the closing quote times four plus the string's
 * flags (JT_*), or BAD with the error in d.
 */
static size_t
string_rest(struct jdoc *d, const unsigned char *s, size_t len, size_t pos)
{
	size_t		 k;
	unsigned	 flags = 0;

	for (;;) {
		pos = plain_end(s, len, pos);
		if (pos >= len)
			goto unterminated;
		switch (s[pos]) {
		case '"':
			return pos << 2 | flags;
		case '\\':
			flags |= JT_ESCAPED;
			if (pos + 1 >= len)
				goto unterminated;
			switch (s[pos + 1]) {
			case '"': case '\\': case '/': case 'b':
			case 'f': case 'n': case 'r': case 't':
				pos += 2;
				break;
			case 'u':
				if (pos + 6 > len || hexval(s[pos + 2]) < 0 ||
				    hexval(s[pos + 3]) < 0 ||
				    hexval(s[pos + 4]) < 0 ||
				    hexval(s[pos + 5]) < 0) {
					d->err = "invalid \\u escape";
					goto fail;
				}
				pos += 6;
				break;
			default:
				d->err = "invalid escape in string";
				goto fail;
			}
			break;
		default:
			if (s[pos] < 0x20) {
				d->err = "control character in string";
				goto fail;
			}
			/* a run of multi-byte sequences, as in most scripts */
			do {
				k = utf8_valid_seq(s + pos, len - pos);
				if (k == 0) {
					flags |= JT_BADUTF8;
					d->compact = false;
					k = 1;
				}
				pos += k;
			} while (pos < len && s[pos] >= 0x80);
			break;
		}
	}
unterminated:
	d->err = "unterminated string";
fail:
	d->errpos = pos;
	return BAD;
}

/*
 * The string whose opening quote is at pos, when the quick way of
 * scan_string does not do: the cursor is behind (special bytes that the
 * parser skipped as white space), or out of step (set anew at pos), or
 * the string holds special bytes besides its quotes (read by string_rest;
 * then the cursor is set after it).  Returns the closing quote's position
 * times four plus the flags, or BAD; *c is the cursor after the string.
 */
static size_t
string_slow(struct jstate *x, const unsigned char *s, size_t pos,
    struct jcur *c)
{
	size_t		 q, r, len = x->len;

	if (c->w == 0)
		*c = cur_next(x, s, c->cb);
	/* tab, new line, carriage return: pretty-printed JSON's */
	while (c->w != 0 && cur_pos(c) < pos) {
		c->w &= c->w - 1;
		if (c->w == 0)
			*c = cur_next(x, s, c->cb);
	}
	if (c->w == 0 || cur_pos(c) != pos)
		*c = cur_at(x, s, pos);
	c->w &= c->w - 1;
	if (c->w == 0)
		*c = cur_next(x, s, c->cb);
	if (c->w == 0)
		return string_rest(x->d, s, len, len);
	q = c->cb + (size_t)__builtin_ctzll(c->w);
	c->w &= c->w - 1;
	if (s[q] == '"')
		return q << 2;
	/* the bytes before q are plain */
	r = string_rest(x->d, s, len, q);
	if (r != BAD && (r >> 2) + 1 < len)
		*c = cur_at(x, s, (r >> 2) + 1);
	else
		c->w = 0, c->cb = len;
	return r;
}

/*
 * The string whose opening quote is at pos: sets *q to the position of
 * its closing quote and *flags to its flags (JT_*), or returns false.
 * The quick way: the next special byte is pos, and the one after it is a
 * quote -- a plain string, no other byte to look at.  Inlined where keys
 * and values are read, so that the cursor stays in the caller's
 * registers.
 */
static inline __attribute__((always_inline)) bool
scan_string(struct jstate *x, const unsigned char *s, struct jcur *c,
    size_t pos, size_t *q, unsigned *flags)
{
	struct jcur	 cs;
	size_t		 e, r;

	if (__builtin_expect(c->w == 0, 0))
		*c = cur_next(x, s, c->cb);
	/*
	 * Where no white space was skipped, only strings have had special
	 * bytes, and the cursor has taken all of theirs: s[pos] is its next
	 * (and c->w != 0).  Spared the test, the quick way is shorter.
	 */
	if (__builtin_expect(!x->ws || (c->w != 0 &&
	    cur_pos(c) == pos), 1)) {
		c->w &= c->w - 1;
		if (__builtin_expect(c->w == 0, 0))
			*c = cur_next(x, s, c->cb);
		if (__builtin_expect(c->w != 0, 1)) {
			e = cur_pos(c);
			c->w &= c->w - 1;
			if (__builtin_expect(s[e] == '"', 1)) {
				*q = e;
				*flags = 0;
				return true;
			}
			/* back to the opening quote: the slow way reads it all */
			*c = cur_at(x, s, pos);
		}
	}
	cs = *c;
	r = string_slow(x, s, pos, &cs);
	*c = cs;
	if (r == BAD)
		return false;
	*q = r >> 2;
	*flags = r & 3;
	return true;
}

/*
 * A scalar token, complete.  The type and the flags go in one store of
 * two bytes, which the compiler would not merge.
 */
_Static_assert(offsetof(struct jtok, flags) == offsetof(struct jtok, type) + 1,
    "jtok: flags follows type");

static inline void
put_tok(struct jtok *t, uint32_t n, enum jtype type, unsigned flags,
    size_t start, size_t end)
{
	uint16_t	 tf = (uint16_t)(type | flags << 8);

	memcpy((char *)&t[n] + offsetof(struct jtok, type), &tf, 2);
	t[n].start = (uint32_t)start;
	t[n].end = (uint32_t)end;
	t[n].next = n + 1;
	t[n].count = 0;
}

/* The two bytes at s, the first in the low byte. */
static inline unsigned
pair(const unsigned char *s)
{
	return (unsigned)s[0] | (unsigned)s[1] << 8;
}

#define PAIR(a, b)	((unsigned)(a) | (unsigned)(b) << 8)

/* Whether the four bytes at s are those of w. */
static inline bool
word4(const unsigned char *s, const char *w)
{
	uint32_t	 a, b;

	memcpy(&a, s, 4);
	memcpy(&b, w, 4);
	return a == b;
}

/*
 * In compact JSON a member's key and its value are joined by ':' and
 * members by ',', with no white space: the paths marked "compact" look at
 * both bytes of such a pair at once and go straight to the string that
 * follows.  They only take a short cut through the same states; any other
 * text goes the long way, where the errors are found.
 *
 * Never inlined (link-time optimization would, into a caller's loop):
 * the machine code of this loop is sensitive to its registers, and was
 * 20% slower inlined into the record layer's.
 */
__attribute__((noinline)) bool
jdoc_parse(struct jdoc *d, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	struct jopen	 open[JSON_MAX_DEPTH + 1], *top = open;
	struct jstate	 x;
	struct jcur	 cur;
	struct jtok	*t = d->t;
	size_t		 pos = 0, start, q;
	uint32_t	 n = 0, i;
	unsigned	 flags;
	unsigned char	 c;
	const char	*why;

	open[0].kind = 0;
	open[0].count = 0;
	x.d = d;
	x.len = len;
	x.cap = d->cap;
	x.ws = false;
	x.wlo = x.whi = 0;
	cur.cb = (size_t)0 - 64;	/* none: set below unless len is 0 */
	cur.w = 0;
	d->src = text;
	d->len = len;
	d->err = NULL;
	d->errpos = 0;
	d->compact = true;
	if (len >= UINT32_MAX) {
		why = "document too large";
		goto fail;
	}
	/*
	 * The first window, made now, and the cursor at its first block:
	 * most texts start with a string, and most fit in one window.
	 */
	if (len > 0) {
		win_fill(&x, s, 0);
		cur.cb = 0;
		cur.w = x.win[0];
	}

value:
	if (MAYBE_WS(s, pos, x.len)) {
		pos = skip_ws(&x, s, pos, x.len);
		if (pos >= x.len) {
			why = "unexpected end of input";
			goto fail;
		}
	}
	if (n == x.cap)
		t = grow(x.d), x.cap = x.d->cap;
	c = s[pos];
	if (c == '"') {
		if (!scan_string(&x, s, &cur, pos, &q, &flags))
			goto failed_tok;
		put_tok(t, n++, J_STRING, flags, pos, q + 1);
		pos = q + 1;
		goto after;
	}
	if (c == '{' || c == '[') {
open:
		/* s[pos] is c, '{' or '['; room for its token */
		if (top == open + JSON_MAX_DEPTH) {
			why = "nesting too deep";
			goto fail;
		}
		top++;
		top->tok = n;
		top->count = 0;
		top->kind = c == '{' ? J_OBJECT : J_ARRAY;
		t[n].type = top->kind;
		t[n].flags = 0;
		t[n++].start = (uint32_t)pos;
		pos++;
		if (pos < x.len && s[pos] == (c == '{' ? '"' : '{')) {
			/* compact: {"key" or [{ */
			if (c == '{')
				goto key_string;
			c = '{';
			if (n == x.cap)
				t = grow(x.d), x.cap = x.d->cap;
			goto open;
		}
		if (MAYBE_WS(s, pos, x.len))
			pos = skip_ws(&x, s, pos, x.len);
		if (pos < x.len && s[pos] == c + 2)	/* '}' or ']' */
			goto close;
		if (c == '{')
			goto key;
		goto value;
	}
	if (c == 'n') {
		if (x.len - pos < 4 || !word4(s + pos, "null")) {
			why = "invalid literal";
			goto fail;
		}
		put_tok(t, n++, J_NULL, 0, pos, pos + 4);
		pos += 4;
		goto after;
	}
	if (c == 't') {
		if (x.len - pos < 4 || !word4(s + pos, "true")) {
			why = "invalid literal";
			goto fail;
		}
		put_tok(t, n++, J_TRUE, 0, pos, pos + 4);
		pos += 4;
		goto after;
	}
	if (c == 'f') {
		if (x.len - pos < 5 || !word4(s + pos + 1, "alse")) {
			why = "invalid literal";
			goto fail;
		}
		put_tok(t, n++, J_FALSE, 0, pos, pos + 5);
		pos += 5;
		goto after;
	}
	if (c != '-' && !is_digit(c)) {
		why = "unexpected character";
		goto fail;
	}
	/* a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
	start = pos;
	if (c == '-')
		pos++;
	if (pos < x.len && s[pos] == '0')
		pos++;
	else if (pos < x.len && s[pos] >= '1' && s[pos] <= '9')
		while (pos < x.len && is_digit(s[pos]))
			pos++;
	else
		goto bad_number;
	if (pos < x.len && s[pos] == '.') {
		pos++;
		if (pos >= x.len || !is_digit(s[pos]))
			goto bad_number;
		while (pos < x.len && is_digit(s[pos]))
			pos++;
	}
	if (pos < x.len && (s[pos] == 'e' || s[pos] == 'E')) {
		pos++;
		if (pos < x.len && (s[pos] == '+' || s[pos] == '-'))
			pos++;
		if (pos >= x.len || !is_digit(s[pos]))
			goto bad_number;
		while (pos < x.len && is_digit(s[pos]))
			pos++;
	}
	put_tok(t, n++, J_NUMBER, 0, start, pos);

after:
	/* a value is complete: it counts in its container */
	if (top->kind == J_OBJECT)
		goto member_done;
	if (top == open)
		goto done;
	top->count++;
	if (pos + 1 < x.len && pair(s + pos) == PAIR(',', '{')) {
		/* compact: an object, the next element */
		c = s[++pos];
		if (n == x.cap)
			t = grow(x.d), x.cap = x.d->cap;
		goto open;
	}
	if (MAYBE_WS(s, pos, x.len)) {
		pos = skip_ws(&x, s, pos, x.len);
		if (pos >= x.len) {
			why = "unterminated array";
			goto fail;
		}
	}
	if (s[pos] == ',') {
		pos++;
		goto value;
	}
	if (s[pos] != ']') {
		why = "expected ',' or ']'";
		goto fail;
	}
close:
	pos++;
	i = top->tok;
	t[i].end = (uint32_t)pos;
	t[i].next = n;
	t[i].count = top->count;
	top--;
	goto after;

member_done:
	top->count++;
	if (pos + 1 < x.len && pair(s + pos) == PAIR(',', '"')) {
		/* compact: the next key */
		pos++;
		goto key_string;
	}
	if (MAYBE_WS(s, pos, x.len)) {
		pos = skip_ws(&x, s, pos, x.len);
		if (pos >= x.len) {
			why = "unterminated object";
			goto fail;
		}
	}
	if (s[pos] == '}')
		goto close;
	if (s[pos] != ',') {
		why = "expected ',' or '}'";
		goto fail;
	}
	pos++;
key:
	if (MAYBE_WS(s, pos, x.len)) {
		pos = skip_ws(&x, s, pos, x.len);
		if (pos >= x.len) {
			why = "unexpected end of input";
			goto fail;
		}
	}
	if (s[pos] != '"') {
		why = "expected string key";
		goto fail;
	}
key_string:
	/* room for the key and a scalar value */
	if (n + 2 > x.cap)
		t = grow(x.d), x.cap = x.d->cap;
	if (!scan_string(&x, s, &cur, pos, &q, &flags))
		goto failed_tok;
	put_tok(t, n++, J_STRING, flags, pos, q + 1);
	if (q + 2 < x.len && pair(s + q + 1) == PAIR(':', '"')) {
		/* compact: a string value */
		pos = q + 2;
		if (!scan_string(&x, s, &cur, pos, &q, &flags))
			goto failed_tok;
		put_tok(t, n++, J_STRING, flags, pos, q + 1);
		pos = q + 1;
		goto member_done;
	}
	if (q + 2 < x.len && (pair(s + q + 1) == PAIR(':', '{') ||
	    pair(s + q + 1) == PAIR(':', '['))) {
		/* compact: an object or an array */
		pos = q + 2;
		c = s[pos];
		if (n == x.cap)
			t = grow(x.d), x.cap = x.d->cap;
		goto open;
	}
	if (q + 6 < x.len && s[q + 1] == ':' && word4(s + q + 2, "null")) {
		/* compact: null */
		put_tok(t, n++, J_NULL, 0, q + 2, q + 6);
		pos = q + 6;
		goto member_done;
	}
	pos = q + 1;
	if (pos < x.len && s[pos] == ':') {
		pos++;
		goto value;
	}
	pos = skip_ws(&x, s, pos, x.len);
	if (pos >= x.len || s[pos] != ':') {
		why = "expected ':'";
		goto fail;
	}
	pos++;
	goto value;

done:
	x.d->n = n;
	if (pos == x.len)
		return true;
	pos = skip_ws(&x, s, pos, x.len);
	if (pos == x.len)
		return true;
	why = "trailing data after JSON value";
	goto fail;
bad_number:
	x.d->err = "invalid number";
	x.d->errpos = pos;
failed_tok:
	/* the token of the number or string that failed was made */
	x.d->n = n + 1;
	return false;
fail:
	x.d->n = n;
	x.d->err = why;
	x.d->errpos = pos;
	return false;
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
			if (e - s < 4 || (cp = json_hex4(s)) > 0xffff) {
				buf_addlit(out, "\xef\xbf\xbd");
				break;
			}
			s += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && e - s >= 6 &&
			    s[0] == '\\' && s[1] == 'u' &&
			    (lo = json_hex4(s + 2)) >= 0xdc00 && lo <= 0xdfff) {
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
	if (!(d->t[i].flags & JT_ESCAPED))	/* as it is: no copy to free */
		return d->t[i].end - d->t[i].start - 2 == n &&
		    memcmp(d->src + d->t[i].start + 1, s, n) == 0;
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
