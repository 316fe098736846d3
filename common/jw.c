/*
 * jw.c - JSON text output; see jw.h.
 */
#ifdef __SSE2__
#include <immintrin.h>
#endif
#include <math.h>
#include <stdio.h>
#include <stdint.h>
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
	static const char hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s, *end = p + n;
	char			*o;
	size_t			 k;

	/*
	 * Reserve for the worst case (every byte becomes \u00XX) once, then
	 * write without further checks.
	 */
	if (n > (SIZE_MAX - 3) / 6)
		abort();
	if (b->cap - b->len <= 6 * n + 2)
		buf_grow(b, 6 * n + 2);
	o = b->p + b->len;
	*o++ = '"';
	while (p < end) {
#ifdef __SSE2__
		/* Sixteen bytes at a time, copied whether or not they are
		 * all plain (the room reserved allows it): one compare each
		 * for the quote, the backslash, DEL, control characters and
		 * the high bit. */
		{
			const __m128i quote = _mm_set1_epi8('"');
			const __m128i bslash = _mm_set1_epi8('\\');
			const __m128i del = _mm_set1_epi8(0x7f);
			const __m128i ctl = _mm_set1_epi8(0x1f);
			__m128i	 x, m;
			int	 bits;

			while (end - p >= 16) {
				x = _mm_loadu_si128((const __m128i *)p);
				_mm_storeu_si128((__m128i *)o, x);
				m = _mm_or_si128(_mm_or_si128(
				    _mm_cmpeq_epi8(x, quote),
				    _mm_cmpeq_epi8(x, bslash)), _mm_or_si128(
				    _mm_cmpeq_epi8(x, del),
				    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x)));
				bits = _mm_movemask_epi8(m) |
				    _mm_movemask_epi8(x);
				if (bits == 0) {
					p += 16;
					o += 16;
					continue;
				}
				k = (size_t)__builtin_ctz((unsigned)bits);
				p += k;
				o += k;
				break;
			}
		}
#endif
		while (p < end && jw_class[*p] == 0)
			*o++ = (char)*p++;
		if (p == end)
			break;
		if (jw_class[*p] == 2) {
			k = utf8_valid_seq(p, (size_t)(end - p));
			if (k > 0) {
				memcpy(o, p, k);
				o += k;
				p += k;
			} else {
				memcpy(o, "\xef\xbf\xbd", 3);
				o += 3;
				p++;
			}
			continue;
		}
		*o++ = '\\';
		switch (*p) {
		case '"':  *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
			break;
		}
		p++;
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

#ifdef __SSE2__
/*
 * jw_plain's test thirty-two bytes at a time, for n >= 32, as the SSE2
 * loop below does sixteen: half the blocks, on every text line's
 * captures (lognorm) and every string written.
 */
__attribute__((target("avx2")))
static bool
plain_avx2(const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;
	const __m256i	 quote = _mm256_set1_epi8('"');
	const __m256i	 bslash = _mm256_set1_epi8('\\');
	const __m256i	 del = _mm256_set1_epi8(0x7f);
	const __m256i	 ctl = _mm256_set1_epi8(0x1f);
	__m256i		 x, m;

	for (;;) {
		if (end - p < 32) {
			if (p == end)
				return true;
			p = end - 32;	/* the last 32, some tested */
		}
		x = _mm256_loadu_si256((const __m256i *)p);
		m = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, quote),
		    _mm256_cmpeq_epi8(x, bslash)), _mm256_or_si256(
		    _mm256_cmpeq_epi8(x, del),
		    _mm256_cmpeq_epi8(_mm256_min_epu8(x, ctl), x)));
		if (_mm256_movemask_epi8(_mm256_or_si256(m, x)) != 0)
			return false;
		p += 32;
	}
}
#endif

bool
jw_plain(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

#ifdef __SSE2__
	if (n >= 32 && __builtin_cpu_supports("avx2"))
		return plain_avx2(p, n);
	const __m128i	 quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i	 del = _mm_set1_epi8(0x7f), ctl = _mm_set1_epi8(0x1f);
	__m128i		 x, m;

	if (n < 16)
		goto tail;
	for (;;) {
		if (end - p < 16) {
			if (p == end)
				return true;
			/* the last sixteen bytes, some of them tested */
			p = end - 16;
		}
		x = _mm_loadu_si128((const __m128i *)p);
		/* a byte to escape sets its mask byte, one past ASCII its
		 * own top bit: one movemask tells either */
		m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
		    _mm_cmpeq_epi8(x, bslash)), _mm_or_si128(
		    _mm_cmpeq_epi8(x, del),
		    _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x)));
		if (_mm_movemask_epi8(_mm_or_si128(m, x)) != 0)
			return false;
		p += 16;
	}
tail:
#endif
	for (; p < end; p++)
		if (jw_class[*p] != 0)
			return false;
	return true;
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
	/* (the range first: converting a double beyond int64_t's is
	 * undefined) */
	if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v) {
		jw_int(b, (int64_t)v);
		return;
	}
	/* Shortest of %.15g and %.17g that reads back as the same double. */
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	buf_add(b, tmp, (size_t)n);
}

bool
jw_num_canonical(const char *s, size_t n)
{
	const char	*p = s, *e = s + n, *ip, *fp;
	size_t		 il, fl, z = 0;

	if (p < e && *p == '-')
		p++;
	for (ip = p; p < e && *p >= '0' && *p <= '9'; p++)
		;
	il = (size_t)(p - ip);
	if (il == 0 || il > 15 || (il > 1 && *ip == '0'))
		return false;
	if (p == e)
		/* -0 is written 0 */
		return !(s[0] == '-' && il == 1 && *ip == '0');
	if (*p != '.')
		return false;
	for (fp = ++p; p < e && *p >= '0' && *p <= '9'; p++)
		;
	fl = (size_t)(p - fp);
	if (p != e || fl == 0 || fp[fl - 1] == '0')
		return false;
	if (il == 1 && *ip == '0') {
		/* %.15g writes below 0.0001 with an exponent */
		while (z < fl && fp[z] == '0')
			z++;
		return z <= 3 && fl - z <= 15;
	}
	return il + fl <= 15;
}
