/*
 * jw.h - writing JSON text into a struct buf.
 *
 * The writer keeps no state: callers lay out their records in order and put
 * the commas themselves, which keeps the hot path a run of appends.  Strings
 * may hold any bytes: control characters and NUL are escaped, and bytes that
 * are not valid UTF-8 become U+FFFD, so the output is always valid JSON.
 */
#ifndef LP_JW_H
#define LP_JW_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

/* Append s[0..n) as a JSON string, quotes included. */
void	jw_str(struct buf *b, const char *s, size_t n);

/*
 * Whether s[0..n) is written by jw_str as it is, between the quotes:
 * printable ASCII without '"' or '\\' (sixteen bytes at a time).
 */
bool	jw_plain(const char *s, size_t n);

/* Append a NUL-terminated string as a JSON string; NULL writes null. */
void	jw_cstr(struct buf *b, const char *s);

/* Append "key": for a key that needs no escaping (a literal in our code). */
static inline void
jw_key(struct buf *b, const char *key)
{
	buf_addc(b, '"');
	buf_adds(b, key);
	buf_add(b, "\":", 2);
}

/* Append a signed integer. */
void	jw_int(struct buf *b, int64_t v);

/* Append a finite number with up to 17 significant digits; NaN and Inf
 * become null, which is all JSON can say of them. */
void	jw_num(struct buf *b, double v);

/*
 * Whether the number written s[0..n) is exactly what jw_num() writes for
 * its value, so that it can be copied as it is: an integer of up to 15
 * digits (not -0), or a decimal of up to 15 significant digits without
 * an exponent or a trailing zero, 0.0001 or more in magnitude.
 */
bool	jw_num_canonical(const char *s, size_t n);

static inline void
jw_null(struct buf *b)
{
	buf_add(b, "null", 4);
}

#endif
