/*
 * jscan.h - the first stage of the JSON tokenizer (json.c): where the
 * bytes that strings are made of and by are, found 64 at a time with SIMD
 * where the machine has it.  Internal to json.c and its tests.
 *
 * A byte is special when a JSON string cannot hold it as it is: the
 * quote, the backslash, a control character (below 0x20), or a byte of
 * 0x80 and above (part of a multi-byte sequence, to be checked for valid
 * UTF-8).  Outside strings, valid JSON has none but white space (tab,
 * new line, carriage return); in the plain string that most strings are,
 * the only two are its quotes.
 */
#ifndef LP_JSCAN_H
#define LP_JSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The special bytes of the blocks of 64 from s + b (b < len, a multiple
 * of 64) to s + e (e <= len) as masks, one to a block, into out: bit i of
 * out[j] for byte b + 64 * j + i.  The bits of bytes past e are clear.
 * Reads nothing outside s[0..len).
 */
void	jscan_masks(const unsigned char *s, size_t len, size_t b, size_t e,
	    uint64_t *out);

/* The classifiers; each gives the same masks, only faster or slower. */
enum jscan_impl {
	JSCAN_AUTO,	/* the fastest this machine runs (the default) */
	JSCAN_SCALAR,	/* a byte at a time: portable */
	JSCAN_SSE2,	/* 16 at a time: every x86-64 */
	JSCAN_AVX2	/* 32 at a time, when the processor has it */
};

/*
 * For the tests: make jscan_masks use impl from now on.  Returns false,
 * changing nothing, when this build or machine cannot run it.
 */
bool	jscan_use(enum jscan_impl impl);

#endif
