/*
 * logfmt.c - reading a logfmt line natively; see logfmt.h.
 *
 * One pass over the line, no backtracking: each pair is a key (no white
 * space, '=' or '"'), '=', and a value that is bare (no white space or
 * '"', possibly empty) or double-quoted with backslash escapes; pairs are
 * separated by white space.  This replaces a PCRE2 pattern and jq's scan,
 * which together took time quadratic in the number of pairs (40,000 pairs
 * on one line: 72 s), and gives exactly the values they gave: a quoted
 * value that is a valid JSON string (as jq 1.6 reads JSON: no raw control
 * characters, escapes \" \\ \/ \b \f \n \r \t \uXXXX, a high surrogate
 * only before a low one) is read as JSON; any other loses its quotes and
 * the backslash before each escaped character.
 */
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "json.h"
#include "jw.h"
#include "logfmt.h"

/* White space as PCRE2's \s: space, \t, \n, \v, \f, \r. */
static bool
is_ws(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The code unit of \uXXXX at s (4 hex digits before e), or -1. */
static long
hex4(const char *s, const char *e)
{
	unsigned long	 v;

	if (e - s < 4 || (v = json_hex4(s)) == ULONG_MAX)
		return -1;
	return (long)v;
}

/* Whether the content s[0..e) of a quoted value is a JSON string's. */
static bool
json_content(const char *s, const char *e)
{
	long	 u, lo;

	for (; s < e; s++) {
		if ((unsigned char)*s < 0x20)
			return false;
		if (*s != '\\')
			continue;
		if (++s == e)
			return false;
		switch (*s) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			break;
		case 'u':
			if ((u = hex4(s + 1, e)) < 0)
				return false;
			s += 4;
			if (u >= 0xd800 && u <= 0xdbff) {
				if (e - s < 7 || s[1] != '\\' || s[2] != 'u' ||
				    (lo = hex4(s + 3, e)) < 0xdc00 || lo > 0xdfff)
					return false;
				s += 6;
			}
			break;
		default:
			return false;
		}
	}
	return true;
}

bool
logfmt_decode(const char *s, size_t n, struct buf *json, struct buf *tmp)
{
	const char	*p = s, *e = s + n, *k, *v;
	size_t		 kl;
	bool		 first = true;

	buf_reset(json);
	buf_addc(json, '{');
	while (p < e && is_ws(*p))
		p++;
	if (p == e)
		return false;
	while (p < e) {
		for (k = p; p < e && !is_ws(*p) && *p != '=' && *p != '"'; p++)
			;
		if (p == k || p == e || *p != '=')
			return false;
		kl = (size_t)(p - k);
		v = ++p;
		if (p < e && *p == '"') {
			for (p++; p < e && *p != '"'; p++)
				if (*p == '\\' && (++p == e || *p == '\n'))
					return false;
			if (p == e)
				return false;
			p++;
		} else
			while (p < e && !is_ws(*p) && *p != '"')
				p++;
		if (p < e && !is_ws(*p))
			return false;
		if (!first)
			buf_addc(json, ',');
		first = false;
		jw_str(json, k, kl);
		buf_addc(json, ':');
		buf_reset(tmp);
		if (v == p || *v != '"')
			jw_str(json, v, (size_t)(p - v));
		else if (json_content(v + 1, p - 1)) {
			json_unescape(v + 1, (size_t)(p - v - 2), tmp);
			jw_str(json, tmp->p, tmp->len);
		} else {
			/* not JSON: the quotes and each escaping backslash go */
			for (k = v + 1; k < p - 1; k++) {
				if (*k == '\\' && k + 1 < p - 1)
					k++;
				buf_addc(tmp, *k);
			}
			jw_str(json, tmp->p ? tmp->p : "", tmp->len);
		}
		while (p < e && is_ws(*p))
			p++;
	}
	buf_addc(json, '}');
	return true;
}
