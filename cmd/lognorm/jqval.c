/*
 * jqval.c - JSON values as jq 1.6 reads and writes them; see jqval.h.
 *
 * The rules are jq's own (jv_print.c, jv_dtoa.c, jv_parse.c of jq 1.6),
 * and tests/11-shipped-rules.bats checks the decoders built on them
 * against the jq programs they replace.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "jqval.h"
#include "jw.h"
#include "map.h"

const char *
jqv_kind(const struct jdoc *d, int tok)
{
	static const char *const names[] = {
		[J_NULL] = "null", [J_FALSE] = "boolean", [J_TRUE] = "boolean",
		[J_NUMBER] = "number", [J_STRING] = "string",
		[J_ARRAY] = "array", [J_OBJECT] = "object"
	};

	return tok < 0 ? "null" : names[d->t[tok].type];
}

double
jqv_number(const struct jdoc *d, int tok)
{
	const char	*p = d->src + d->t[tok].start;
	const char	*e = d->src + d->t[tok].end;
	bool		 neg = p < e && *p == '-';
	int64_t		 v = 0;

	if (neg)
		p++;
	if (e - p > 15)
		return jdoc_num(d, tok);
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return jdoc_num(d, tok);
		v = v * 10 + (*p - '0');
	}
	/* (-0 stays -0) */
	return neg ? -(double)v : (double)v;
}

bool
jqv_str_eq(const struct jdoc *d, int tok, const char *s, size_t n)
{
	const struct jtok *t;

	if (tok < 0 || d->t[tok].type != J_STRING)
		return false;
	t = &d->t[tok];
	if (!(t->flags & JT_ESCAPED))
		return t->end - t->start - 2 == n &&
		    memcmp(d->src + t->start + 1, s, n) == 0;
	return jdoc_str_eq(d, tok, s, n);
}

/* The lengths jq's UTF-8 decoder gives a first byte (jv_unicode.c):
 * 0 invalid, 1-4 a sequence, 5 a continuation byte. */
static int
coding_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xc0)
		return 5;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	if (c < 0xf5)
		return 4;
	return 0;
}

/*
 * The next code point of s[0..n) as jq 1.6 reads it, -1 for a bad
 * sequence; its length in *len.  An invalid byte or a stray continuation
 * byte is one bad byte; a sequence cut short by a byte that does not
 * continue it is bad up to that byte.
 */
static long
next_cp(const unsigned char *s, size_t n, size_t *len)
{
	static const long first_cp[] = { 0, 0, 0x80, 0x800, 0x10000 };
	int		 k = coding_length(s[0]), i;
	long		 cp;

	if (k == 1) {
		*len = 1;
		return s[0];
	}
	if (k == 0 || k == 5) {
		*len = 1;
		return -1;
	}
	if ((size_t)k > n) {
		*len = n;
		return -1;
	}
	cp = s[0] & (0xff >> (k + 1));
	for (i = 1; i < k; i++) {
		if (coding_length(s[i]) != 5) {
			*len = (size_t)i;
			return -1;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*len = (size_t)k;
	if (cp < first_cp[k] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return -1;
	return cp;
}

void
jqv_utf8(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t		 k;

	while (p < e) {
		if (*p < 0x80)
			k = 1;
		else if (next_cp(p, (size_t)(e - p), &k) < 0) {
			buf_addlit(out, "\xef\xbf\xbd");
			p += k;
			continue;
		}
		buf_add(out, p, k);
		p += k;
	}
	if (out->p == NULL)
		buf_grow(out, 0);
}

void
jqv_str(struct buf *out, const char *s, size_t n)
{
	struct buf	 fixed = BUF_INIT;

	/* Each bad sequence becomes one U+FFFD, as jq makes it when it
	 * reads one; the rest is written as jw_str writes it. */
	jqv_utf8(&fixed, s, n);
	jw_str(out, fixed.p, fixed.len);
	buf_release(&fixed);
}

size_t
jqv_codepoints(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t		 c = 0, k;

	while (p < e) {
		if (*p < 0x80)
			k = 1;
		else
			(void)next_cp(p, (size_t)(e - p), &k);
		p += k;
		c++;
	}
	return c;
}

/*
 * The shortest digits that read back as v (> 0, finite), and the place
 * of the decimal point: v = 0.DIGITS * 10^decpt, as jq's dtoa (mode 0)
 * gives them.  Two decimals of at most 15 significant digits never read
 * as the same double, so when v's rounding to 15 digits reads back as v,
 * those digits (without trailing zeros) are the shortest; else 16, else
 * 17, which always read back.
 */
static size_t
shortest(double v, char digits[24], int *decpt)
{
	char	 tmp[40];
	int	 p;
	size_t	 nd = 0, i;

	for (p = 15; p < 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (p == 17)
		snprintf(tmp, sizeof(tmp), "%.16e", v);
	/* d.ddddde[+-]XX */
	for (i = 0; tmp[i] != 'e'; i++)
		if (tmp[i] != '.')
			digits[nd++] = tmp[i];
	*decpt = atoi(tmp + i + 1) + 1;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	return nd;
}

void
jqv_num(struct buf *out, double v)
{
	char	 digits[24], tmp[48];
	int	 decpt, x, k;
	size_t	 nd, i;

	if (isnan(v)) {
		jw_null(out);
		return;
	}
	if (v > DBL_MAX)
		v = DBL_MAX;
	if (v < -DBL_MAX)
		v = -DBL_MAX;
	if (v == 0) {
		buf_adds(out, signbit(v) ? "-0" : "0");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		jw_int(out, (int64_t)v);
		return;
	}
	if (v < 0) {
		buf_addc(out, '-');
		v = -v;
	}
	nd = shortest(v, digits, &decpt);
	k = 0;
	if (decpt <= -4 || decpt > (int)nd + 15) {
		tmp[k++] = digits[0];
		if (nd > 1) {
			tmp[k++] = '.';
			for (i = 1; i < nd; i++)
				tmp[k++] = digits[i];
		}
		x = decpt - 1;
		k += snprintf(tmp + k, sizeof(tmp) - (size_t)k, "e%c%02d",
		    x < 0 ? '-' : '+', x < 0 ? -x : x);
	} else if (decpt <= 0) {
		tmp[k++] = '0';
		tmp[k++] = '.';
		for (x = decpt; x < 0; x++)
			tmp[k++] = '0';
		for (i = 0; i < nd; i++)
			tmp[k++] = digits[i];
	} else {
		for (i = 0; i < nd; i++) {
			tmp[k++] = digits[i];
			if ((int)i + 1 == decpt && i + 1 < nd)
				tmp[k++] = '.';
		}
		for (x = (int)nd; x < decpt; x++)
			tmp[k++] = '0';
	}
	buf_add(out, tmp, (size_t)k);
}

void
jqv_numtext(struct buf *out, const char *s, size_t n)
{
	const char	*p = s, *e = s + n, *ip, *fp = NULL;
	size_t		 il, fl = 0, z = 0, sig;

	/* Text jq would write as it is: an integer of up to 15 digits, or a
	 * decimal of up to 15 significant digits, no trailing zero, not
	 * below 0.0001; then the digits are the shortest ones. */
	if (p < e && *p == '-')
		p++;
	for (ip = p; p < e && *p >= '0' && *p <= '9'; p++)
		;
	il = (size_t)(p - ip);
	if (p < e && *p == '.') {
		fp = ++p;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
		fl = (size_t)(p - fp);
	}
	if (p == e && il > 0 && il <= 15 && (fp == NULL ||
	    (fl > 0 && fp[fl - 1] != '0'))) {
		if (fp == NULL) {
			buf_add(out, s, n);
			return;
		}
		if (il == 1 && *ip == '0') {
			while (z < fl && fp[z] == '0')
				z++;
			sig = fl - z;
		} else
			sig = il + fl;
		if (sig <= 15 && z <= 3) {
			buf_add(out, s, n);
			return;
		}
	}
	jqv_num(out, json_num(s, n));
}

/* jq's white space, as its parser skips it. */
static bool
jq_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool
jqv_tonumber(const char *s, size_t n, double *v)
{
	const char	*p = s, *e = s + n, *q;
	char		 tmp[64], *end;
	size_t		 k;
	bool		 digits = false;

	while (p < e && jq_space(*p))
		p++;
	while (e > p && jq_space(e[-1]))
		e--;
	k = (size_t)(e - p);
	if (k == 0 || k >= sizeof(tmp))
		return false;
	/* one literal token: no white space or structural character in it */
	for (q = p; q < e; q++)
		if (jq_space(*q) || strchr("[]{}:,\"", *q) != NULL)
			return false;
	if (*p == 't' || *p == 'f')
		return false;
	if (*p == 'n') {
		if (k == 3 && memcmp(p, "nan", 3) == 0) {
			*v = NAN;
			return true;
		}
		return false;
	}
	/* A decimal number as jq's strtod reads it (no hexadecimal), or
	 * inf, infinity, nan after a sign. */
	q = p;
	if (*q == '+' || *q == '-')
		q++;
	if (e - q == 3 && strncasecmp(q, "inf", 3) == 0)
		goto read;
	if (e - q == 8 && strncasecmp(q, "infinity", 8) == 0)
		goto read;
	if (e - q == 3 && strncasecmp(q, "nan", 3) == 0)
		goto read;
	while (q < e && *q >= '0' && *q <= '9')
		q++, digits = true;
	if (q < e && *q == '.')
		for (q++; q < e && *q >= '0' && *q <= '9'; q++)
			digits = true;
	if (!digits)
		return false;
	if (q < e && (*q == 'e' || *q == 'E')) {
		const char *x = ++q;
		if (q < e && (*q == '+' || *q == '-'))
			q++;
		if (q == e || *q < '0' || *q > '9')
			q = x - 1;	/* strtod stops before the 'e' */
		while (q < e && *q >= '0' && *q <= '9')
			q++;
	}
	if (q != e)
		return false;
read:
	memcpy(tmp, p, k);
	tmp[k] = '\0';
	*v = strtod(tmp, &end);
	return *end == '\0';
}

/*
 * The members of object obj as jq keeps them: each name once, in the
 * place of its first occurrence, with the value of its last.  Into *list
 * (the caller frees it); returns how many.  Linear: past a few members,
 * through a map of the names.
 */
struct jqv_member {
	int	 key, val;
};

static size_t
members(const struct jdoc *d, int obj, struct jqv_member **list)
{
	uint32_t	 m, k, count = d->t[obj].count;
	struct jqv_member	*l = xcalloc(count ? count : 1, sizeof(*l));
	struct buf	 tmp = BUF_INIT, names = BUF_INIT;
	struct map	 idx = MAP_INIT;
	size_t		 n = 0, i, *off;
	const char	*p;
	size_t		 len;
	void		**slot;

	if (count <= 16) {
		for (m = 0, k = (uint32_t)obj + 1; m < count; m++,
		    k = d->t[k + 1].next) {
			jdoc_str(d, (int)k, &tmp, &p, &len);
			for (i = 0; i < n; i++)
				if (jqv_str_eq(d, l[i].key, p, len))
					break;
			if (i == n)
				l[n++].key = (int)k;
			l[i].val = (int)k + 1;
		}
		buf_release(&tmp);
		*list = l;
		return n;
	}
	/* the names, unescaped, back to back; then the map over them */
	off = xcalloc(count, 2 * sizeof(*off));
	for (m = 0, k = (uint32_t)obj + 1; m < count; m++,
	    k = d->t[k + 1].next) {
		jdoc_str(d, (int)k, &tmp, &p, &len);
		off[2 * m] = names.len;
		off[2 * m + 1] = len;
		buf_add(&names, p, len);
		l[m].key = (int)k;
		l[m].val = (int)k + 1;
	}
	if (names.p == NULL)
		buf_grow(&names, 0);
	for (m = 0; m < count; m++) {
		slot = map_put(&idx, names.p + off[2 * m], off[2 * m + 1]);
		if (*slot != NULL)
			l[(size_t)*slot - 1].val = l[m].val;
		else {
			l[n] = l[m];
			*slot = (void *)(n + 1);
			n++;
		}
	}
	map_release(&idx);
	free(off);
	buf_release(&names);
	buf_release(&tmp);
	*list = l;
	return n;
}

static void
write_value(const struct jdoc *d, int tok, struct buf *out,
    struct buf *scratch)
{
	const struct jtok *t;
	const char	*p;
	size_t		 len, n, i;
	uint32_t	 m, k;
	struct jqv_member	*l;

	if (tok < 0) {
		jw_null(out);
		return;
	}
	t = &d->t[tok];
	switch (t->type) {
	case J_NULL:
	case J_TRUE:
	case J_FALSE:
		buf_add(out, d->src + t->start, t->end - t->start);
		return;
	case J_NUMBER:
		jqv_numtext(out, d->src + t->start, t->end - t->start);
		return;
	case J_STRING:
		jdoc_str(d, tok, scratch, &p, &len);
		if (t->flags & JT_BADUTF8)
			jqv_str(out, p, len);
		else
			jw_str(out, p, len);
		return;
	case J_ARRAY:
		buf_addc(out, '[');
		for (m = 0, k = (uint32_t)tok + 1; m < t->count; m++,
		    k = d->t[k].next) {
			if (m > 0)
				buf_addc(out, ',');
			write_value(d, (int)k, out, scratch);
		}
		buf_addc(out, ']');
		return;
	case J_OBJECT:
		buf_addc(out, '{');
		n = members(d, tok, &l);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(out, ',');
			write_value(d, l[i].key, out, scratch);
			buf_addc(out, ':');
			write_value(d, l[i].val, out, scratch);
		}
		free(l);
		buf_addc(out, '}');
		return;
	}
}

void
jqv_write(const struct jdoc *d, int tok, struct buf *out, struct buf *scratch)
{
	write_value(d, tok, out, scratch);
}

void
jqv_write40(const struct jdoc *d, int tok, struct buf *out,
    struct buf *scratch)
{
	struct buf	 tmp = BUF_INIT;
	const unsigned char *p, *e;
	size_t		 k, c;

	write_value(d, tok, &tmp, scratch);
	p = (const unsigned char *)tmp.p;
	e = p + tmp.len;
	for (c = 0; p < e && c < 40; c++) {
		if (*p < 0x80)
			k = 1;
		else
			(void)next_cp(p, (size_t)(e - p), &k);
		p += k;
	}
	buf_add(out, tmp.p, (size_t)(p - (const unsigned char *)tmp.p));
	buf_release(&tmp);
}

bool
jqv_length(const struct jdoc *d, int tok, double *len)
{
	const struct jtok *t;
	struct jqv_member	*l;
	struct buf	 tmp = BUF_INIT;
	const char	*p;
	size_t		 n;

	if (tok < 0) {
		*len = 0;
		return true;
	}
	t = &d->t[tok];
	switch (t->type) {
	case J_NULL:
		*len = 0;
		return true;
	case J_TRUE:
	case J_FALSE:
		return false;
	case J_NUMBER:
		*len = fabs(jqv_number(d, tok));
		return true;
	case J_STRING:
		jdoc_str(d, tok, &tmp, &p, &n);
		*len = (double)jqv_codepoints(p, n);
		buf_release(&tmp);
		return true;
	case J_ARRAY:
		*len = t->count;
		return true;
	default:
		if (t->count <= 1) {
			*len = t->count;
			return true;
		}
		*len = (double)members(d, tok, &l);
		free(l);
		return true;
	}
}

void
jqv_iter_start(struct jqv_iter *it, const struct jdoc *d, int tok)
{
	memset(it, 0, sizeof(*it));
	it->d = d;
	if (tok < 0 || (d->t[tok].type != J_ARRAY &&
	    d->t[tok].type != J_OBJECT))
		return;
	if (d->t[tok].type == J_ARRAY) {
		it->n = d->t[tok].count;
		it->k = (uint32_t)tok + 1;
	} else
		it->n = members(d, tok, &it->list);
}

int
jqv_iter_next(struct jqv_iter *it)
{
	int	 v;

	if (it->i >= it->n) {
		jqv_iter_end(it);
		return -1;
	}
	if (it->list != NULL)
		v = it->list[it->i].val;
	else {
		v = (int)it->k;
		it->k = it->d->t[it->k].next;
	}
	it->i++;
	return v;
}

void
jqv_iter_end(struct jqv_iter *it)
{
	free(it->list);
	it->list = NULL;
	it->n = it->i = 0;
}
