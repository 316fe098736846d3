/*
 * utf8.h - UTF-8 checks shared by the JSON reader and writer.
 */
#ifndef LP_UTF8_H
#define LP_UTF8_H

#include <stddef.h>

/*
 * Length of the well-formed UTF-8 sequence at p (at most n bytes available),
 * for a first byte >= 0x80; 0 if the bytes there are not one (overlong
 * forms, surrogates and code points past U+10FFFF included).
 */
static inline size_t
utf8_valid_seq(const unsigned char *p, size_t n)
{
	unsigned char	 c = p[0];

	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;
		if (c == 0xed && p[1] > 0x9f)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;
		if (c == 0xf4 && p[1] > 0x8f)
			return 0;
		return 4;
	}
	return 0;
}

/* Append the UTF-8 encoding of code point cp to out; returns its length. */
static inline size_t
utf8_encode(unsigned long cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

#endif

#ifndef LP_SCAN_RUN
#define LP_SCAN_RUN
#include <stdint.h>
#include <string.h>

/*
 * Length of the leading run of s[0..n) that a JSON string can hold as is:
 * printable ASCII other than '"' and '\\'.  Eight bytes at a time (SWAR):
 * the lowest flagged byte of each test is exact, which is all we need.
 */
static inline size_t
json_plain_run(const unsigned char *s, size_t n)
{
	const uint64_t	 L = 0x0101010101010101ULL, H = 0x8080808080808080ULL;
	uint64_t	 w, q, b, m;
	size_t		 i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		q = w ^ (L * '"');
		b = w ^ (L * '\\');
		m = ((w - L * 0x20) & ~w) | ((q - L) & ~q) | ((b - L) & ~b) | w;
		m &= H;
		if (m != 0)
			return i + (size_t)(__builtin_ctzll(m) >> 3);
	}
	for (; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x80 || s[i] == '"' || s[i] == '\\')
			break;
	return i;
}
#endif
