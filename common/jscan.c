/*
 * jscan.c - the first stage of the JSON tokenizer; see jscan.h.
 *
 * A byte x is special when x ^ 2 <= 0x20 as a signed byte, or x is the
 * backslash: the xor swaps the quote (0x22) with the space (0x20) and
 * leaves the control characters below 0x20 and the bytes of 0x80 and
 * above (negative as signed bytes) where they are.  So two compares and
 * an or a vector, then the sign bits of the result are the mask.  SSE2 is
 * part of x86-64; AVX2, twice as wide, is used when the processor has it,
 * asked at each call (a load and a test).  Elsewhere, a byte at a time.
 */
#include <string.h>

#include "jscan.h"

#if defined(__x86_64__) && defined(__SSE2__) && \
    (defined(__GNUC__) || defined(__clang__))
#define JSCAN_X86
#include <immintrin.h>
#endif

static enum jscan_impl	 jscan_impl = JSCAN_AUTO;

/* 1 for the special bytes. */
static const unsigned char special[256] = {
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
};

static inline uint64_t
mask_scalar(const unsigned char *s)
{
	uint64_t	 m = 0;
	unsigned	 i;

	for (i = 0; i < 64; i++)
		m |= (uint64_t)special[s[i]] << i;
	return m;
}

#ifdef JSCAN_X86
static inline uint64_t
mask16_sse2(const unsigned char *s)
{
	const __m128i	 two = _mm_set1_epi8(2), b = _mm_set1_epi8('\\');
	const __m128i	 lim = _mm_set1_epi8(0x21);
	__m128i		 x = _mm_loadu_si128((const __m128i *)s);

	x = _mm_or_si128(_mm_cmpgt_epi8(lim, _mm_xor_si128(x, two)),
	    _mm_cmpeq_epi8(x, b));
	return (uint64_t)(unsigned)_mm_movemask_epi8(x);
}

static inline uint64_t
mask_sse2(const unsigned char *s)
{
	return mask16_sse2(s) | mask16_sse2(s + 16) << 16 |
	    mask16_sse2(s + 32) << 32 | mask16_sse2(s + 48) << 48;
}

/*
 * With AVX2 the constants are loaded once a call, from a table the
 * compiler is not shown (an empty asm takes its address), and passed in:
 * made with set1 in each inlined classifier, the loop's and the last
 * block's, they cost a dozen instructions a call, a share of a short
 * text's.
 */
struct kavx2 {
	__m256i		 two, bsl, lim;
};

static const unsigned char kavx2_tab[3][32] __attribute__((aligned(32))) = {
	{ 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2 },
	{ '\\','\\','\\','\\','\\','\\','\\','\\',
	  '\\','\\','\\','\\','\\','\\','\\','\\',
	  '\\','\\','\\','\\','\\','\\','\\','\\',
	  '\\','\\','\\','\\','\\','\\','\\','\\' },
	{ 0x21,0x21,0x21,0x21,0x21,0x21,0x21,0x21,
	  0x21,0x21,0x21,0x21,0x21,0x21,0x21,0x21,
	  0x21,0x21,0x21,0x21,0x21,0x21,0x21,0x21,
	  0x21,0x21,0x21,0x21,0x21,0x21,0x21,0x21 },
};

__attribute__((target("avx2")))
static inline uint64_t
mask32_avx2(const unsigned char *s, const struct kavx2 *k)
{
	__m256i		 x = _mm256_loadu_si256((const __m256i *)s);

	x = _mm256_or_si256(_mm256_cmpgt_epi8(k->lim, _mm256_xor_si256(x,
	    k->two)), _mm256_cmpeq_epi8(x, k->bsl));
	return (uint64_t)(uint32_t)_mm256_movemask_epi8(x);
}

__attribute__((target("avx2")))
static inline uint64_t
mask_avx2(const unsigned char *s, const struct kavx2 *k)
{
	return mask32_avx2(s, k) | mask32_avx2(s + 32, k) << 32;
}

static bool
have_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
#endif

/* The special bytes of s[0..n), n < 64, without reading past s + n. */
static inline uint64_t
mask_short(const unsigned char *s, size_t n)
{
	uint64_t	 m = 0;
	size_t		 i = 0;

#ifdef JSCAN_X86
	for (; i + 16 <= n; i += 16)
		m |= mask16_sse2(s + i) << i;
	if (i < n && n >= 16) {
		/* the 16 bytes that end the text, shifted down */
		m |= mask16_sse2(s + n - 16) >> (16 - (n - i)) << i;
		return m;
	}
#endif
	for (; i < n; i++)
		m |= (uint64_t)special[s[i]] << i;
	return m;
}

/*
 * The masks of the blocks from s + b to s + e into out, with mask, the
 * classifier of 64 bytes; the last block, when partial, as the 64 bytes
 * that end at e (e is then len) shifted down, or in a text shorter than
 * a block, 16 bytes at a time.  Inlined in masks_scalar and masks_sse2;
 * masks_avx2 is the same written out.
 */
static inline void
masks(const unsigned char *s, size_t len, size_t b, size_t e, uint64_t *out,
    uint64_t (*mask)(const unsigned char *))
{
	size_t		 rest = (e - b) % 64;

	for (; b + 64 <= e; b += 64)
		*out++ = mask(s + b);
	if (rest == 0)
		return;
	if (len >= 64)
		*out = mask(s + e - 64) >> (64 - rest);
	else
		*out = mask_short(s + b, rest);
}

/* Not inlined, nor the others: jscan_masks stays a jump to one of them. */
static __attribute__((noinline)) void
masks_scalar(const unsigned char *s, size_t len, size_t b, size_t e,
    uint64_t *out)
{
	masks(s, len, b, e, out, mask_scalar);
}

#ifdef JSCAN_X86
static __attribute__((noinline)) void
masks_sse2(const unsigned char *s, size_t len, size_t b, size_t e,
    uint64_t *out)
{
	masks(s, len, b, e, out, mask_sse2);
}

/*
 * masks() for AVX2, written out for the constants; and a last block of
 * 32 bytes or fewer is the 32 that end at e, not the 64.
 */
__attribute__((target("avx2")))
static void
masks_avx2(const unsigned char *s, size_t len, size_t b, size_t e,
    uint64_t *out)
{
	struct kavx2	 k;
	const unsigned char (*kt)[32];
	size_t		 rest = (e - b) % 64;

	if (len < 64) {
		if (rest != 0)
			*out = mask_short(s + b, rest);
		return;
	}
	kt = kavx2_tab;
	__asm__("" : "+r" (kt));
	k.two = _mm256_load_si256((const __m256i *)kt[0]);
	k.bsl = _mm256_load_si256((const __m256i *)kt[1]);
	k.lim = _mm256_load_si256((const __m256i *)kt[2]);
	for (; b + 64 <= e; b += 64)
		*out++ = mask_avx2(s + b, &k);
	if (rest > 32)
		*out = mask_avx2(s + e - 64, &k) >> (64 - rest);
	else if (rest != 0)
		*out = mask32_avx2(s + e - 32, &k) >> (32 - rest);
}
#endif

void
jscan_masks(const unsigned char *s, size_t len, size_t b, size_t e,
    uint64_t *out)
{
#ifdef JSCAN_X86
	/* the default first: a short text's masks are soon made */
	if (__builtin_expect(jscan_impl == JSCAN_AUTO, 1)) {
		if (have_avx2())
			masks_avx2(s, len, b, e, out);
		else
			masks_sse2(s, len, b, e, out);
		return;
	}
	switch (jscan_impl) {
	case JSCAN_AUTO:	/* taken above */
	case JSCAN_AVX2:
		masks_avx2(s, len, b, e, out);
		return;
	case JSCAN_SSE2:
		masks_sse2(s, len, b, e, out);
		return;
	case JSCAN_SCALAR:
		break;
	}
#endif
	masks_scalar(s, len, b, e, out);
}

bool
jscan_use(enum jscan_impl impl)
{
	switch (impl) {
	case JSCAN_AUTO:
	case JSCAN_SCALAR:
		break;
	case JSCAN_SSE2:
#ifndef JSCAN_X86
		return false;
#endif
		break;
	case JSCAN_AVX2:
#ifdef JSCAN_X86
		if (!have_avx2())
			return false;
#else
		return false;
#endif
		break;
	}
	jscan_impl = impl;
	return true;
}
