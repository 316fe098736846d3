/*
 * html.c - escaping text for HTML and SVG; see html.h.
 */
#include <string.h>

#include "html.h"
#include "utf8.h"

void
html_esc(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *run;
	char		 pic[4];
	size_t		 k;

	while (p < end) {
		run = p;
		while (p < end && *p >= 0x20 && *p < 0x7f && *p != '&' &&
		    *p != '<' && *p != '>' && *p != '"' && *p != '\'')
			p++;
		buf_add(b, run, (size_t)(p - run));
		if (p == end)
			break;
		switch (*p) {
		case '&':  buf_addlit(b, "&amp;"); break;
		case '<':  buf_addlit(b, "&lt;"); break;
		case '>':  buf_addlit(b, "&gt;"); break;
		case '"':  buf_addlit(b, "&quot;"); break;
		case '\'': buf_addlit(b, "&#39;"); break;
		case '\t': case '\n':
			buf_addc(b, *p);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				k = utf8_encode(*p == 0x7f ? 0x2421 : 0x2400 + *p,
				    pic);
				buf_add(b, pic, k);
			} else if ((k = utf8_valid_seq(p,
			    (size_t)(end - p))) > 0) {
				buf_add(b, p, k);
				p += k;
				continue;
			} else
				buf_addlit(b, "\xef\xbf\xbd");
			break;
		}
		p++;
	}
}

void
html_cstr(struct buf *b, const char *s)
{
	if (s != NULL)
		html_esc(b, s, strlen(s));
}

int
html_esc_max(struct buf *b, const char *s, size_t n, size_t max)
{
	size_t	 cut = max;

	if (n <= max) {
		html_esc(b, s, n);
		return 0;
	}
	/* back up to the first byte of a UTF-8 sequence */
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	html_esc(b, s, cut);
	buf_addlit(b, "\xe2\x80\xa6");
	return 1;
}
