/*
 * tswin.c - the seconds of a timestamp text, found once and then read
 * without parsing the text again; see fields.h.
 *
 * Logs come in time order: line after line, a timestamp's text is the
 * one before but for its seconds ("Jun 14 15:16:01", "Jun 14 15:16:02").
 * The text read last is already kept with its time (struct tscache); this
 * keeps a text whose two digits at k are its seconds, and the time of
 * that text with them at 00.  A text equal to it but for those two
 * digits, below 60, is that time plus them, in whole seconds: what
 * ts_parse() or ts_parse_format() would read, without reading the rest.
 *
 * Which two digits are the seconds is not guessed but checked: the
 * digits in which the text differs from the one before (or its last two),
 * set to other seconds, must read as the time moved by exactly that many
 * seconds.  The digits of a fraction, a zone, a year or minutes move it
 * by other amounts.  A text of the same form as one checked (the same
 * length and format, digits where it has digits, its other bytes) has its
 * seconds at the same place: its base is taken without checking again.  Only texts whose reading cannot depend on anything
 * but the text are kept: a time_format with a year, an ISO 8601 date, or
 * any text when the year is given (-y): a syslog time without a year
 * takes the year that does not put it in the future, which the clock
 * may change from one second to the next.  An epoch number (no ':')
 * neither: its unit is chosen by its magnitude.
 */
#include <stdint.h>
#include <string.h>

#include "fields.h"

/*
 * Whether a[0..n) and b[0..n) are the same bytes, and a copy of n bytes
 * (n at most 64): inline, eight bytes at a time, the last eight
 * overlapping, never past a + n or b + n.  A timestamp is read for every
 * line, and memcmp()'s and memcpy()'s calls cost more than these short
 * texts.
 */
static inline bool
bytes_eq(const char *a, const char *b, size_t n)
{
	uint64_t	 x, y;
	size_t		 i;

	if (n < 8)
		return n == 0 || memcmp(a, b, n) == 0;
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

static inline void
bytes_copy(char *d, const char *s, size_t n)
{
	uint64_t	 x;
	size_t		 i;

	if (n < 8) {
		memcpy(d, s, n);
		return;
	}
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, s + i, 8);
		memcpy(d + i, &x, 8);
	}
	memcpy(&x, s + n - 8, 8);
	memcpy(d + n - 8, &x, 8);
}

/* The two bytes at p as a number, when both are digits; else -1. */
static int
two_digits(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

bool
tswin_get(struct norm *n, const char *p, size_t len, const char *fmt,
    int64_t *ms)
{
	const struct tswin *w = &n->tsw;
	int		 d;

	if (!w->valid || w->len != len || w->fmt != fmt ||
	    (d = two_digits(p + w->k)) < 0 || d >= 60 ||
	    !bytes_eq(p, w->text, w->k) ||
	    !bytes_eq(p + w->k + 2, w->text + w->k + 2, len - w->k - 2))
		return false;
	*ms = w->base + (int64_t)d * 1000;
	return true;
}

/* Whether p[0..len) has the form of the text f (of len bytes): digits
 * where it has digits, and its other bytes. */
static bool
same_form(const char *f, const char *p, size_t len)
{
	size_t	 i;
	bool	 df, dp;

	for (i = 0; i < len; i++) {
		df = f[i] >= '0' && f[i] <= '9';
		dp = p[i] >= '0' && p[i] <= '9';
		if (df != dp || (!df && f[i] != p[i]))
			return false;
	}
	return true;
}

/* Whether the reading of a text in format fmt (NULL: any form) depends
 * on the text alone, p[0..len) being such a text. */
static bool
own_year(const struct norm *n, const char *p, size_t len, const char *fmt)
{
	if (n->ts.year != 0)
		return fmt != NULL || memchr(p, ':', len) != NULL;
	if (fmt != NULL)
		return strstr(fmt, "%Y") != NULL || strstr(fmt, "%y") != NULL;
	return len > 10 && two_digits(p) >= 0 && two_digits(p + 2) >= 0 &&
	    p[4] == '-' && memchr(p, ':', len) != NULL;
}

void
tswin_learn(struct norm *n, const char *p, size_t len, const char *fmt,
    int64_t ms, const char *prev, size_t prevlen)
{
	struct tswin	*w = &n->tsw;
	char		 probe[sizeof(w->text)];
	size_t		 i, j, k;
	int64_t		 pms;
	int		 d, q;
	bool		 ok;

	if (len < 2 || len > sizeof(w->text))
		return;
	if (w->valid && w->len == len && w->fmt == fmt &&
	    same_form(w->form, p, len)) {
		if ((d = two_digits(p + w->k)) < 0 || d >= 60)
			return;
		memcpy(w->text, p, len);
		w->base = ms - (int64_t)d * 1000;
		return;
	}
	if (!own_year(n, p, len, fmt))
		return;
	/* the two digits in which p differs from the text before, or its
	 * last two */
	k = len - 2;
	if (prev != NULL && prevlen == len) {
		for (i = 0; i < len && p[i] == prev[i]; i++)
			;
		for (j = len; j > i && p[j - 1] == prev[j - 1]; j--)
			;
		if (i == len || j - i > 2)
			return;
		k = j - i == 2 ? i : i > 0 ? i - 1 : 0;
		if (k + 2 > len)
			return;
	}
	if ((d = two_digits(p + k)) < 0 || d >= 60)
		return;
	/* other seconds must move the time by as many seconds */
	q = d == 0 ? 59 : 0;
	memcpy(probe, p, len);
	probe[k] = (char)('0' + q / 10);
	probe[k + 1] = (char)('0' + q % 10);
	ok = fmt != NULL ? ts_parse_format(probe, len, fmt, &n->ts, &pms) :
	    ts_parse(probe, len, &n->ts, &pms);
	if (!ok || pms - ms != (int64_t)(q - d) * 1000)
		return;
	memcpy(w->text, p, len);
	memcpy(w->form, p, len);
	w->len = len;
	w->k = k;
	w->fmt = fmt;
	w->base = ms - (int64_t)d * 1000;
	w->valid = true;
}

bool
ts_read(struct norm *n, const char *p, size_t len, const char *fmt,
    bool num, int64_t *ms, bool *same)
{
	struct tscache	*tc = &n->tsc;
	bool		 ok;

	/* (bytes_eq: short bytes, inline, not a call of memcmp) */
	if (tc->valid && tc->len == len && tc->fmt == fmt &&
	    tc->num == num && bytes_eq(tc->text, p, len)) {
		if (tc->ok) {
			*ms = tc->ms;
			*same = tc->same;
		}
		return tc->ok;
	}
	if (!num && tswin_get(n, p, len, fmt, ms))
		ok = true;
	else if (fmt != NULL) {
		ok = ts_parse_format(p, len, fmt, &n->ts, ms);
		if (ok)
			tswin_learn(n, p, len, fmt, *ms,
			    tc->valid ? tc->text : NULL, tc->len);
	} else if (!(ok = ts_parse(p, len, &n->ts, ms)) && num)
		ok = ts_from_epoch(json_num(p, len), ms);
	else if (ok && !num)
		tswin_learn(n, p, len, fmt, *ms,
		    tc->valid && !tc->num ? tc->text : NULL, tc->len);
	/* Whether the text is the normalized form already. */
	*same = false;
	if (ok && len == TS_LEN && !num && p[10] == 'T' &&
	    p[TS_LEN - 1] == 'Z') {
		char norm[TS_LEN + 1];
		ts_format(*ms, norm);
		*same = memcmp(p, norm, TS_LEN) == 0;
	}
	tc->valid = len <= sizeof(tc->text);
	if (tc->valid) {
		bytes_copy(tc->text, p, len);
		tc->len = len;
		tc->fmt = fmt;
		tc->num = num;
		tc->ok = ok;
		tc->same = *same;
		tc->ms = *ms;
	}
	return ok;
}
