/*
 * jw.c - JSON text output; see jw.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "jw.h"
#include "utf8.h"

/* 0: copy as is; 1: escape; 2: start of a multi-byte sequence to check. */
static const unsigned char jw_class[256] = {
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
	2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
};

void
jw_str(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s, *end = p + n;
	const unsigned char	*run;
	size_t			 k;

	/* Worst case every byte becomes \u00XX: reserve once for the common case. */
	if (b->cap - b->len <= n + 2)
		buf_grow(b, n + 2);
	buf_addc(b, '"');
	while (p < end) {
		run = p;
		while (p < end && jw_class[*p] == 0)
			p++;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		if (p == end)
			break;
		if (jw_class[*p] == 2) {
			k = utf8_valid_seq(p, (size_t)(end - p));
			if (k > 0) {
				buf_add(b, p, k);
				p += k;
			} else {
				buf_add(b, "\xef\xbf\xbd", 3);
				p++;
			}
			continue;
		}
		switch (*p) {
		case '"':  buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default:   buf_addf(b, "\\u%04x", *p); break;
		}
		p++;
	}
	buf_addc(b, '"');
}

void
jw_cstr(struct buf *b, const char *s)
{
	if (s == NULL)
		jw_null(b);
	else
		jw_str(b, s, strlen(s));
}

void
jw_int(struct buf *b, int64_t v)
{
	char		 tmp[24], *q = tmp + sizeof(tmp);
	uint64_t	 u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	buf_add(b, q, (size_t)(tmp + sizeof(tmp) - q));
}

void
jw_num(struct buf *b, double v)
{
	char	 tmp[32];
	int	 n;

	if (!isfinite(v)) {
		jw_null(b);
		return;
	}
	if (v == (double)(int64_t)v && fabs(v) < 9007199254740992.0) {
		jw_int(b, (int64_t)v);
		return;
	}
	/* Shortest of %.15g and %.17g that reads back as the same double. */
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	buf_add(b, tmp, (size_t)n);
}
