/*
 * json.h - reading JSON text without building a tree of values.
 *
 * jdoc_parse() checks one JSON text (RFC 8259; the whole input must be one
 * value, surrounding white space allowed) and records it as a flat array of
 * tokens in document order, each pointing into the caller's text.  Nothing is
 * copied or unescaped until asked for, so a record that is only routed or
 * renamed costs one pass over its bytes and no allocation once the token
 * array has grown to size.  The text must stay alive and unchanged while the
 * tokens are used.
 *
 * Token i of an object or array is followed by its children; t[i].next is the
 * index just past its whole subtree, so siblings are reached by following
 * next.  An object's children alternate key, value.
 */
#ifndef LP_JSON_H
#define LP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

enum jtype {
	J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT
};

#define JT_ESCAPED	0x01	/* string contains backslash escapes */
#define JT_BADUTF8	0x02	/* string holds invalid UTF-8 */

struct jtok {
	uint8_t		 type;		/* enum jtype */
	uint8_t		 flags;		/* JT_* */
	uint32_t	 start;		/* offset of first byte (the quote for strings) */
	uint32_t	 end;		/* offset one past the last byte */
	uint32_t	 next;		/* index of the token after this subtree */
	uint32_t	 count;		/* members of an object, elements of an array */
};

struct jdoc {
	const char	*src;
	size_t		 len;
	struct jtok	*t;
	uint32_t	 n;		/* tokens in use */
	uint32_t	 cap;
	const char	*err;		/* after a failed parse: what is wrong */
	size_t		 errpos;	/* and the byte offset where */
	bool		 compact;	/* after a parse: no white space
					   between tokens and no invalid
					   UTF-8, so that the text of every
					   value is as jdoc_write writes it */
};

#define JDOC_INIT { NULL, 0, NULL, 0, 0, NULL, 0, false }

/* Deepest nesting accepted; deeper input is an error, not a crash. */
#define JSON_MAX_DEPTH	512

/*
 * Parse s[0..n) into d, reusing d's token storage.  Returns true on success;
 * on failure d->err and d->errpos say why (the tokens are then unusable).
 * Inputs of 4 GiB or more are refused.
 */
bool	jdoc_parse(struct jdoc *d, const char *s, size_t n);

/* Free the token storage; d may be reused after jdoc_parse. */
void	jdoc_release(struct jdoc *d);

/*
 * Index of the value of member key[0..klen) of object token obj, or -1 when
 * absent.  Of duplicate keys the first wins (jq keeps the last; RFC 8259
 * leaves it open).
 */
int	jdoc_get(const struct jdoc *d, int obj, const char *key, size_t klen);

/* Like jdoc_get for a dotted path "a.b.c" of nested objects. */
int	jdoc_path(const struct jdoc *d, int obj, const char *path, size_t plen);

/*
 * Whether string token i holds exactly s[0..n) (after unescaping).
 */
bool	jdoc_str_eq(const struct jdoc *d, int i, const char *s, size_t n);

/*
 * The content of string token i: *p and *n point into the source when the
 * string has no escapes; otherwise it is unescaped into scratch (reset
 * first) and *p points there.  Invalid \u surrogates become U+FFFD.
 */
void	jdoc_str(const struct jdoc *d, int i, struct buf *scratch,
	    const char **p, size_t *n);

/*
 * Append token i and its subtree to out as compact JSON (no white space
 * between tokens; strings and numbers as written in the source).
 */
void	jdoc_write(const struct jdoc *d, int i, struct buf *out);

/* A number token as a double (strtod of its whole text). */
double	jdoc_num(const struct jdoc *d, int i);

/* The number written s[0..n) as a double (strtod of all of it). */
double	json_num(const char *s, size_t n);

/*
 * Append the unescaped bytes of JSON string content s[0..n) (what is
 * between the quotes, already validated) to out.  Invalid \u surrogates
 * become U+FFFD.
 */
void	json_unescape(const char *s, size_t n, struct buf *out);

/* The value of the four hex digits at s (of a JSON \uXXXX escape), or
 * ULONG_MAX if they are not four hex digits. */
unsigned long json_hex4(const char *s);

/*
 * Whether names a[0..n) and b[0..n) are the same bytes: a member name's
 * test, inline, with a few overlapping loads (a call of memcmp for a name
 * of a few bytes was a share of each member's lookup).
 */
static inline bool
json_name_eq(const char *a, const char *b, size_t n)
{
	uint64_t	 x, y, u, v;
	uint32_t	 p, q, r, s;

	if (n >= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return x == y && u == v &&
		    (n <= 16 || memcmp(a + 8, b + 8, n - 16) == 0);
	}
	if (n >= 4) {
		memcpy(&p, a, 4);
		memcpy(&q, b, 4);
		memcpy(&r, a + n - 4, 4);
		memcpy(&s, b + n - 4, 4);
		return p == q && r == s;
	}
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] &&
	    a[n - 1] == b[n - 1]);
}

#endif
