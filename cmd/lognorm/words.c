/*
 * words.c - the words lognorm normalizes an event field's value by: the
 * status words and hexadecimal ids; see words.h.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <strings.h>

#include "words.h"

/* The status words, with their lengths. */
struct word {
	const char	*w;
	size_t		 n;
};
#define W(s)	{ s, sizeof(s) - 1 }
static const struct word success_words[] = {
	W("SUCCESS"), W("SUCCEEDED"), W("SUCCESSFUL"), W("OK"), W("PASS"),
	W("PASSED"), W("TRUE"), W("STATUS_CODE_OK"), W("STATUS_CODE_UNSET"),
	W("UNSET"), W("DONE"), W("COMPLETED"), { NULL, 0 }
};
static const struct word failure_words[] = {
	W("FAILURE"), W("FAILED"), W("FAIL"), W("ERROR"), W("ERR"), W("FATAL"),
	W("FALSE"), W("CRITICAL"), W("STATUS_CODE_ERROR"), W("ABORTED"),
	W("TIMEOUT"), { NULL, 0 }
};
#undef W

/* Hexadecimal digits: 1 a digit or a-f, 2 A-F, 0 anything else. */
static const unsigned char hexclass[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1,
	['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['A'] = 2, ['B'] = 2,
	['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2,
};

/* Each byte of x whose bits 0-6 are above m / below n (n <= 0x80). */
#define BYTES(c)	(0x0101010101010101ull * (c))
#define ABOVE(x, m)	((((x) & BYTES(0x7f)) + BYTES(0x7f - (m))) & BYTES(0x80))
#define BELOW(x, n)	((BYTES(0x7f + (n)) - ((x) & BYTES(0x7f))) & BYTES(0x80))

/*
 * How many of the first bytes of p[0..len) are hexadecimal digits, eight
 * at a time, as far as a whole word of eight is: the byte loop after it
 * goes on from there.  *cls gets 2 (hexclass) if one of them is A-F.  An
 * id is most often a UUID, whose first eight are hex and the ninth a dash.
 */
static inline size_t
hex_words(const char *p, size_t len, unsigned *cls)
{
	uint64_t	 x, fold, digit, letter;
	size_t		 i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		/* A-F and a-f alike, as a-f: no other byte becomes one */
		fold = x | BYTES(0x20);
		digit = ABOVE(x, '0' - 1) & BELOW(x, '9' + 1);
		letter = ABOVE(fold, 'a' - 1) & BELOW(fold, 'g');
		/* bytes of 0x80 and above are none, whatever bits 0-6 */
		if (((digit | letter) & ~x) != BYTES(0x80))
			break;
		/* a letter without the 0x20 bit: A-F */
		if (letter & ~(x << 2))
			*cls |= 2;
	}
	return i;
}

#undef BYTES
#undef ABOVE
#undef BELOW

bool
hex_upper(const char *p, size_t len)
{
	unsigned	 cls = 0, c;
	size_t		 i;

#ifdef __SSE2__
	if (len >= 16) {
		/* Most ids have no A-F at all (a UUID as most logs write
		 * it): that is told sixteen bytes at a time, the last
		 * sixteen overlapping.  (Signed, a byte of 0x80 and above
		 * is below 'A'.) */
		const __m128i	 lo = _mm_set1_epi8('A' - 1);
		const __m128i	 hi = _mm_set1_epi8('F' + 1);
		__m128i		 x;
		int		 any = 0;

		for (i = 0; i + 16 <= len; i += 16) {
			x = _mm_loadu_si128((const __m128i *)(p + i));
			any |= _mm_movemask_epi8(_mm_and_si128(
			    _mm_cmpgt_epi8(x, lo), _mm_cmplt_epi8(x, hi)));
		}
		if (i < len) {
			x = _mm_loadu_si128((const __m128i *)(p + len - 16));
			any |= _mm_movemask_epi8(_mm_and_si128(
			    _mm_cmpgt_epi8(x, lo), _mm_cmplt_epi8(x, hi)));
		}
		if (any == 0)
			return false;
	}
#endif
	for (i = hex_words(p, len, &cls); i < len &&
	    (c = hexclass[(unsigned char)p[i]]); i++)
		cls |= c;
	return i == len && (cls & 2);
}

/*
 * Whether p[0..len) is one of words, in any case.  Most values are none
 * of them (a log level such as "notice"): a table of the first letters
 * of the words of each length, made at the first call, tells most of
 * them at once.
 */
#define WORD_MAX	18	/* longer than any word */
static bool
word_in(const char *p, size_t len, const struct word *words)
{
	static uint32_t	 first[2][WORD_MAX];	/* by list, by length */
	static bool	 made;
	const struct word *w;
	uint32_t	 (*tab)[WORD_MAX];
	int		 c, l;

	if (!made) {
		for (l = 0; l < 2; l++)
			for (w = l ? failure_words : success_words;
			    w->w != NULL; w++)
				first[l][w->n] |= 1u << (w->w[0] - 'A');
		made = true;
	}
	if (len == 0 || len >= WORD_MAX)
		return false;
	c = toupper((unsigned char)p[0]);
	tab = words == success_words ? &first[0] : &first[1];
	if (c < 'A' || c > 'Z' || !((*tab)[len] & 1u << (c - 'A')))
		return false;
	for (; words->w != NULL; words++)
		if (words->n == len && words->w[0] == c &&
		    strncasecmp(p, words->w, len) == 0)
			return true;
	return false;
}

const char *
status_word(const char *p, size_t len)
{
	if (word_in(p, len, success_words))
		return "SUCCESS";
	if (word_in(p, len, failure_words))
		return "FAILURE";
	return NULL;
}
