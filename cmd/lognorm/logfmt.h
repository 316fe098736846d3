/*
 * logfmt.h - reading a logfmt line natively (a rule's "decode = logfmt",
 * lognorm-rules(5)), in time linear in the line.
 */
#ifndef LP_LOGFMT_H
#define LP_LOGFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Whether s[0..n) is a logfmt line: white space, then one or more pairs
 * key=value separated by white space, then white space.  If so, json
 * (reset first) holds the pairs as one JSON object, in line order (a key
 * given twice is there twice; readers keep the last value), each value a
 * string.  tmp is scratch.
 */
bool	logfmt_decode(const char *s, size_t n, struct buf *json,
	    struct buf *tmp);

#endif
