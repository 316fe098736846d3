/*
 * jqval.h - JSON values as jq 1.6 reads and writes them, on the tokens of
 * a parsed record (json.h): what lognorm's native decoders (decode.h)
 * need to make exactly the objects that the jq programs they replace
 * made, without libjq.
 *
 * jq parses its input into values and dumps its outputs from them, so an
 * input value comes out canonical: strings re-escaped (only '"', '\\' and
 * control characters, DEL included; other characters as UTF-8), numbers
 * in jq's shortest form (1.0 -> 1, 1e2 -> 100, 1e-5 -> 1e-05), and of an
 * object member given twice the first place with the last value.
 */
#ifndef LP_JQVAL_H
#define LP_JQVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "json.h"

/* jq's name of the kind of token tok (-1, absent: "null"). */
const char *jqv_kind(const struct jdoc *d, int tok);

/* Whether tok is present and neither null nor false (jq's truth). */
static inline bool
jqv_truthy(const struct jdoc *d, int tok)
{
	return tok >= 0 && d->t[tok].type != J_NULL &&
	    d->t[tok].type != J_FALSE;
}

/* Whether tok is present and not null. */
static inline bool
jqv_present(const struct jdoc *d, int tok)
{
	return tok >= 0 && d->t[tok].type != J_NULL;
}

/*
 * The value of number token tok: read at once when it is written as an
 * integer of up to 15 digits (the common case), else with strtod.
 */
double	jqv_number(const struct jdoc *d, int tok);

/* Whether tok is a string equal to s[0..n) (unescaped). */
bool	jqv_str_eq(const struct jdoc *d, int tok, const char *s, size_t n);

/*
 * Append tok's value as jq writes it (tok -1: null).  scratch is used for
 * unescaping.
 */
void	jqv_write(const struct jdoc *d, int tok, struct buf *out,
	    struct buf *scratch);

/* Append tok's value as jq's tojson | .[:40] would, as raw text. */
void	jqv_write40(const struct jdoc *d, int tok, struct buf *out,
	    struct buf *scratch);

/* Append the bytes s[0..n) with each sequence that is not UTF-8 replaced
 * by U+FFFD, as jq replaces them when it reads a string. */
void	jqv_utf8(struct buf *out, const char *s, size_t n);

/* Append a string s[0..n) of raw bytes as jq writes it (invalid UTF-8
 * replaced as jq replaces it). */
void	jqv_str(struct buf *out, const char *s, size_t n);

/* Append the number v as jq 1.6 writes it (NaN as null). */
void	jqv_num(struct buf *out, double v);

/* Append the number written s[0..n) (valid JSON) as jq writes it. */
void	jqv_numtext(struct buf *out, const char *s, size_t n);

/*
 * jq 1.6's tonumber of the string s[0..n): a number literal, white space
 * around it allowed (jq parses the string as JSON text, loosely).  False
 * when it is not one.
 */
bool	jqv_tonumber(const char *s, size_t n, double *v);

/* The length of s[0..n) in code points, as jq counts them. */
size_t	jqv_codepoints(const char *s, size_t n);

/*
 * jq's length of tok: elements, members, code points, the absolute value
 * of a number, 0 for null; false for a boolean (an error in jq).
 */
bool	jqv_length(const struct jdoc *d, int tok, double *len);

/*
 * Iterate tok as jq's .[]? does: the elements of an array, the values of
 * an object (its members as jq keeps them: each name once, in the place
 * of its first occurrence, with the value of its last), nothing for
 * anything else.  jqv_iter_next() gives the next value's token, or -1 at
 * the end (which frees the iterator); jqv_iter_end() frees one left
 * before its end.  it->i - 1 is the place of the value last given.
 */
struct jqv_member;

struct jqv_iter {
	const struct jdoc *d;
	uint32_t	 k;		/* array: the next element's token */
	size_t		 i, n;
	struct jqv_member	*list;		/* object: its members */
};

void	jqv_iter_start(struct jqv_iter *it, const struct jdoc *d, int tok);
int	jqv_iter_next(struct jqv_iter *it);
void	jqv_iter_end(struct jqv_iter *it);

#endif
