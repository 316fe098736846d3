/*
 * html.h - text for HTML and SVG pages: escaping what came from logs.
 *
 * Anything a log, a record or a file name says may hold markup (a service
 * called "<script>"), quotes that would end an attribute, bytes that are
 * not UTF-8 and control characters.  html_esc() makes any bytes safe both
 * as element content and inside a quoted attribute value, in HTML and in
 * SVG (XML): the five markup characters become entities, invalid UTF-8
 * becomes U+FFFD, and control characters other than tab and newline
 * become their visible Control Pictures (U+2400 + c, U+2421 for DEL), so
 * that a raw line with an escape sequence in it still shows what it held.
 */
#ifndef LP_HTML_H
#define LP_HTML_H

#include <stddef.h>

#include "buf.h"

/* Append s[0..n) escaped as above. */
void	html_esc(struct buf *b, const char *s, size_t n);

/* Append a NUL-terminated string escaped; NULL appends nothing. */
void	html_cstr(struct buf *b, const char *s);

/*
 * Append at most the first max bytes of s[0..n) escaped, cut before a
 * UTF-8 sequence rather than inside it, and "…" when anything was left
 * out.  Returns whether it was cut.
 */
int	html_esc_max(struct buf *b, const char *s, size_t n, size_t max);

#endif
