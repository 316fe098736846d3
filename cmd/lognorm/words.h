/*
 * words.h - the words lognorm normalizes an event field's value by: the
 * status words and hexadecimal ids (fields.c).
 */
#ifndef LN_WORDS_H
#define LN_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * "SUCCESS" or "FAILURE" (static strings) when p[0..len) is one of the
 * words of success or of failure, in any case ("ok", "Failed",
 * "STATUS_CODE_ERROR"), else NULL.
 */
const char *status_word(const char *p, size_t len);

/*
 * Whether p[0..len) is all hexadecimal digits, one of them A-F at least:
 * an id that is lower-cased.
 */
bool	hex_upper(const char *p, size_t len);

#endif
