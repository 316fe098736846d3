/*
 * ts.c - timestamp parsing and formatting; see ts.h.
 *
 * Hand-written readers rather than strptime(3)+timegm(3): they run once per
 * record on the hot path, and the date arithmetic (Hinnant's
 * days_from_civil) needs no table or time zone database.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ts.h"

#define MS_PER_DAY	86400000LL
/* 0000-01-01 and 10000-01-01 in ms, the range we can write. */
#define TS_MIN		(-62167219200000LL)
#define TS_MAX		(253402300800000LL)


int64_t
ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t		 era;
	unsigned	 doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dim[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

void
ts_format(int64_t ms, char out[TS_LEN + 1])
{
	/* Logs are written in time order: the same second comes many times
	 * over, and then only its milliseconds change. */
	static int64_t	 last_sec = INT64_MIN, last_days = INT64_MIN;
	static char	 last[TS_LEN + 1];
	int64_t		 days = ms / MS_PER_DAY, rem = ms % MS_PER_DAY, y;
	int64_t		 sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	unsigned	 m, d, h, mi, s, f;

	if (sec == last_sec) {
		f = (unsigned)(ms - sec * 1000);
		memcpy(out, last, TS_LEN + 1);
		out[20] = (char)('0' + f / 100);
		out[21] = (char)('0' + f / 10 % 10);
		out[22] = (char)('0' + f % 10);
		return;
	}

	if (rem < 0) {
		rem += MS_PER_DAY;
		days--;
	}
	h = (unsigned)(rem / 3600000);
	mi = (unsigned)(rem / 60000 % 60);
	s = (unsigned)(rem / 1000 % 60);
	f = (unsigned)(rem % 1000);
	if (days == last_days) {
		/* the same day: its date is written already */
		memcpy(out, last, 11);
		goto time;
	}
	last_days = days;
	civil_from_days(days, &y, &m, &d);
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = 'T';
time:
	out[11] = (char)('0' + h / 10);
	out[12] = (char)('0' + h % 10);
	out[13] = ':';
	out[14] = (char)('0' + mi / 10);
	out[15] = (char)('0' + mi % 10);
	out[16] = ':';
	out[17] = (char)('0' + s / 10);
	out[18] = (char)('0' + s % 10);
	out[19] = '.';
	out[20] = (char)('0' + f / 100);
	out[21] = (char)('0' + f / 10 % 10);
	out[22] = (char)('0' + f % 10);
	out[23] = 'Z';
	out[24] = '\0';
	last_sec = sec;
	memcpy(last, out, TS_LEN + 1);
}

/* Read exactly k digits at *p (advancing it); -1 if they are not there. */
static int
digits(const char **p, const char *e, int k)
{
	int	 v = 0;

	if (e - *p < k)
		return -1;
	while (k-- > 0) {
		if ((unsigned)(**p - '0') > 9)
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

/* Milliseconds of a fraction ".123456" at *p (after the dot), truncated. */
static int
fraction(const char **p, const char *e)
{
	int	 v = 0, k = 0;

	if (*p == e || !isdigit((unsigned char)**p))
		return -1;
	while (*p < e && isdigit((unsigned char)**p)) {
		if (k < 3) {
			v = v * 10 + (**p - '0');
			k++;
		}
		(*p)++;
	}
	while (k++ < 3)
		v *= 10;
	return v;
}

#define MKEY(a, b, c)	((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))
static const uint32_t month_keys[12] = {
	MKEY('j', 'a', 'n'), MKEY('f', 'e', 'b'), MKEY('m', 'a', 'r'),
	MKEY('a', 'p', 'r'), MKEY('m', 'a', 'y'), MKEY('j', 'u', 'n'),
	MKEY('j', 'u', 'l'), MKEY('a', 'u', 'g'), MKEY('s', 'e', 'p'),
	MKEY('o', 'c', 't'), MKEY('n', 'o', 'v'), MKEY('d', 'e', 'c')
};
#undef MKEY

static int
month_index(const char *p, const char *e)
{
	uint32_t	 k;
	int		 i;

	if (e - p < 3)
		return -1;
	/* the three letters folded to lower case, as one number (a byte
	 * that is not a letter folds to something no month has) */
	k = (uint32_t)((unsigned char)p[0] | 0x20) << 16 |
	    (uint32_t)((unsigned char)p[1] | 0x20) << 8 |
	    ((unsigned char)p[2] | 0x20);
	for (i = 0; i < 12; i++)
		if (k == month_keys[i])
			return i + 1;
	return -1;
}

static bool
assemble(int64_t y, int mo, int d, int h, int mi, int s, int f, int zone_min,
    int64_t *ms)
{
	static int64_t	 last_y = -1, last_days;
	static int	 last_mo, last_d;
	int64_t		 v;

	if (y < 0 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    (unsigned)d > days_in_month(y, (unsigned)mo) || h < 0 || h > 24 ||
	    mi < 0 || mi > 59 || s < 0 || s > 60 || f < 0 ||
	    (h == 24 && (mi | s | f) != 0))
		return false;
	if (s == 60)		/* a leap second: the last instant of the minute */
		s = 59, f = 999;
	/* the day read last: times of a log come day after day */
	if (y != last_y || mo != last_mo || d != last_d) {
		last_days = ts_days_from_civil(y, (unsigned)mo, (unsigned)d);
		last_y = y;
		last_mo = mo;
		last_d = d;
	}
	v = last_days * MS_PER_DAY +
	    (int64_t)h * 3600000 + (int64_t)mi * 60000 + (int64_t)s * 1000 + f -
	    (int64_t)zone_min * 60000;
	if (v < TS_MIN || v >= TS_MAX)
		return false;
	*ms = v;
	return true;
}

/* A zone designator: Z, +HH:MM, +HHMM, +HH, or " UTC"/" GMT". */
static bool
zone(const char **p, const char *e, int *zone_min)
{
	int	 sign, h, m = 0;

	if (*p == e)
		return true;
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*zone_min = 0;
		return true;
	}
	if (e - *p == 4 && (strncmp(*p, " UTC", 4) == 0 ||
	    strncmp(*p, " GMT", 4) == 0)) {
		*p += 4;
		*zone_min = 0;
		return true;
	}
	if (**p == ' ' && e - *p >= 2 && ((*p)[1] == '+' || (*p)[1] == '-'))
		(*p)++;
	if (**p != '+' && **p != '-')
		return false;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if ((h = digits(p, e, 2)) < 0)
		return false;
	if (*p < e && **p == ':')
		(*p)++;
	if (*p < e && (m = digits(p, e, 2)) < 0)
		return false;
	if (h > 23 || m > 59)
		return false;
	*zone_min = sign * (h * 60 + m);
	return true;
}

bool
ts_parse_zone(const char *s, size_t n, int *zone_min)
{
	const char	*p = s, *e = s + n;

	if (n == 3 && (strncmp(s, "UTC", 3) == 0 || strncmp(s, "GMT", 3) == 0)) {
		*zone_min = 0;
		return true;
	}
	if (n == 0 || *s == ' ')
		return false;
	return zone(&p, e, zone_min) && p == e;
}

static bool
parse_iso(const char *p, const char *e, const struct ts_opts *o, int64_t *ms)
{
	int	 y, mo, d, h = 0, mi = 0, s = 0, f = 0, zm = o->zone_min;

	if ((y = digits(&p, e, 4)) < 0 || p == e || *p++ != '-' ||
	    (mo = digits(&p, e, 2)) < 0 || p == e || *p++ != '-' ||
	    (d = digits(&p, e, 2)) < 0)
		return false;
	if (p < e && (*p == 'T' || *p == 't' || *p == ' ')) {
		p++;
		if ((h = digits(&p, e, 2)) < 0 || p == e || *p++ != ':' ||
		    (mi = digits(&p, e, 2)) < 0)
			return false;
		if (p < e && *p == ':') {
			p++;
			if ((s = digits(&p, e, 2)) < 0)
				return false;
			if (p < e && (*p == '.' || *p == ',')) {
				p++;
				if ((f = fraction(&p, e)) < 0)
					return false;
			}
		}
		if (!zone(&p, e, &zm))
			return false;
	}
	return p == e && assemble(y, mo, d, h, mi, s, f, zm, ms);
}

bool
ts_from_epoch(double v, int64_t *ms)
{
	double	 a = fabs(v), r;

	if (!isfinite(v))
		return false;
	if (a < 1e11)
		r = v * 1000;
	else if (a < 1e14)
		r = v;
	else if (a < 1e17)
		r = v / 1000;
	else
		r = v / 1e6;
	r = floor(r);
	if (r < (double)TS_MIN || r >= (double)TS_MAX)
		return false;
	*ms = (int64_t)r;
	return true;
}

/*
 * Epoch digits, exact: doubles lose the low digits of 19-digit nanosecond
 * stamps, so the integer part is read as an integer.
 */
static bool
parse_epoch(const char *p, const char *e, int64_t *ms)
{
	const char	*q = p;
	uint64_t	 v = 0;
	int		 nd = 0, f = 0, neg = 0;
	int64_t		 r;

	if (q < e && *q == '-')
		neg = 1, q++;
	while (q < e && isdigit((unsigned char)*q)) {
		if (++nd > 19)
			return false;
		v = v * 10 + (uint64_t)(*q++ - '0');
	}
	if (nd == 0)
		return false;
	if (q < e && *q == '.') {
		q++;
		if ((f = fraction(&q, e)) < 0)
			return false;
	}
	if (q != e)
		return false;
	if (v < 100000000000ULL)
		r = (int64_t)v * 1000 + f;
	else if (v < 100000000000000ULL)
		r = (int64_t)v;
	else if (v < 100000000000000000ULL)
		r = (int64_t)(v / 1000);
	else
		r = (int64_t)(v / 1000000);
	if (neg)
		r = -r;
	if (r < TS_MIN || r >= TS_MAX)
		return false;
	*ms = r;
	return true;
}

/* The current time, read once: a run does not span years in a way that
 * matters, and time(3) per line would. */
static int64_t
now_ms(void)
{
	static int64_t	 now = INT64_MIN;

	if (now == INT64_MIN)
		now = (int64_t)time(NULL) * 1000;
	return now;
}

static int
this_year(void)
{
	static int	 year = -1;
	time_t		 now;
	struct tm	 tm;

	if (year < 0) {
		/* once, as now_ms(): gmtime_r per line would be most of the
		 * cost of a strptime format */
		now = (time_t)(now_ms() / 1000);
		gmtime_r(&now, &tm);
		year = tm.tm_year + 1900;
	}
	return year;
}

/*
 * A date written without its year: the year opts gives, or else this year
 * unless that puts it more than a day in the future, in which case the
 * year before (a December line read in January), as rsyslog and lnav do.
 */
static bool
assemble_yearless(const struct ts_opts *o, int mo, int d, int h, int mi,
    int s, int f, int zone_min, int64_t *ms)
{
	int	 y;

	if (o->year != 0)
		return assemble(o->year, mo, d, h, mi, s, f, zone_min, ms);
	y = this_year();
	if (assemble(y, mo, d, h, mi, s, f, zone_min, ms) &&
	    *ms <= now_ms() + MS_PER_DAY)
		return true;
	/* Feb 29 of a leap year read in a year that is not one, too. */
	return assemble(y - 1, mo, d, h, mi, s, f, zone_min, ms);
}

/*
 * The "Mmm dd HH:MM:SS[.fff]" shared by syslog and ctime forms, at *pp
 * (the day may be space-padded or one digit).
 */
static bool
month_day_time(const char **pp, const char *e, int *mo, int *d, int *h,
    int *mi, int *s, int *f)
{
	const char	*p = *pp;

	if ((*mo = month_index(p, e)) < 0)
		return false;
	p += 3;
	if (p == e || *p++ != ' ')
		return false;
	if (p < e && *p == ' ')
		p++;
	if (p < e - 1 && isdigit((unsigned char)p[1]))
		*d = digits(&p, e, 2);
	else
		*d = digits(&p, e, 1);
	if (*d < 0 || p == e || *p++ != ' ' || (*h = digits(&p, e, 2)) < 0 ||
	    p == e || *p++ != ':' || (*mi = digits(&p, e, 2)) < 0 || p == e ||
	    *p++ != ':' || (*s = digits(&p, e, 2)) < 0)
		return false;
	*f = 0;
	if (p < e && *p == '.') {
		p++;
		if ((*f = fraction(&p, e)) < 0)
			return false;
	}
	*pp = p;
	return true;
}

/* "May  4 10:30:00" or "May 04 10:30:00.123" */
static bool
parse_syslog(const char *p, const char *e, const struct ts_opts *o,
    int64_t *ms)
{
	int	 mo, d, h, mi, s, f;

	if (!month_day_time(&p, e, &mo, &d, &h, &mi, &s, &f))
		return false;
	return p == e && assemble_yearless(o, mo, d, h, mi, s, f, o->zone_min,
	    ms);
}

/* "04/May/2025:10:30:00 +0000" */
static bool
parse_clf(const char *p, const char *e, const struct ts_opts *o, int64_t *ms)
{
	int	 y, mo, d, h, mi, s, zm = o->zone_min;

	if ((d = digits(&p, e, 2)) < 0 || p == e || *p++ != '/' ||
	    (mo = month_index(p, e)) < 0)
		return false;
	p += 3;
	if (p == e || *p++ != '/' || (y = digits(&p, e, 4)) < 0 || p == e ||
	    *p++ != ':' || (h = digits(&p, e, 2)) < 0 || p == e ||
	    *p++ != ':' || (mi = digits(&p, e, 2)) < 0 || p == e ||
	    *p++ != ':' || (s = digits(&p, e, 2)) < 0 || !zone(&p, e, &zm))
		return false;
	return p == e && assemble(y, mo, d, h, mi, s, 0, zm, ms);
}

/* "Sun Dec 04 04:47:44 2005" (day may be space-padded) */
static bool
parse_ctime(const char *p, const char *e, const struct ts_opts *o,
    int64_t *ms)
{
	int	 y, mo, d, h, mi, s, f;

	if (e - p < 4 || !isalpha((unsigned char)p[0]) || p[3] != ' ')
		return false;
	p += 4;
	if (!month_day_time(&p, e, &mo, &d, &h, &mi, &s, &f))
		return false;
	if (p == e || *p++ != ' ' || (y = digits(&p, e, 4)) < 0)
		return false;
	return p == e && assemble(y, mo, d, h, mi, s, f, o->zone_min, ms);
}

/* Two digits at s, or -1. */
static inline int
two(const char *s)
{
	unsigned	 a = (unsigned char)s[0] - '0', b = (unsigned char)s[1] - '0';

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

/*
 * The minute read last by ts_parse_canonical ("2025-05-04T10:30:"), found
 * valid, and its first instant: the times of a log come minute after
 * minute, and of the next time only the seconds are then new.
 */
#define TS_MINUTE	17
static char	 last_minute[TS_MINUTE];
static int64_t	 last_minute_ms;
static bool	 have_minute;

bool
ts_parse_canonical(const char *s, size_t n, int64_t *ms)
{
	int	 c, y, mo, d, h, mi, sec, f0, f1, f;
	int64_t	 v;

	/* "2025-05-04T10:30:00.000Z": digits and separators at fixed places */
	if (n != TS_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z')
		return false;
	if (have_minute && memcmp(s, last_minute, TS_MINUTE) == 0) {
		if ((sec = two(s + 17)) < 0 || (f0 = two(s + 20)) < 0 ||
		    (f1 = two(s + 21)) < 0 || sec > 60)
			return false;
		f = f0 * 10 + f1 % 10;
		if (sec == 60)	/* a leap second, as assemble() reads it */
			sec = 59, f = 999;
		v = last_minute_ms + sec * 1000 + f;
		if (v < TS_MIN || v >= TS_MAX)
			return false;
		*ms = v;
		return true;
	}
	if ((c = two(s)) < 0 || (y = two(s + 2)) < 0 || (mo = two(s + 5)) < 0 ||
	    (d = two(s + 8)) < 0 || (h = two(s + 11)) < 0 ||
	    (mi = two(s + 14)) < 0 || (sec = two(s + 17)) < 0 ||
	    (f0 = two(s + 20)) < 0 || (f1 = two(s + 21)) < 0)
		return false;
	f = f0 * 10 + f1 % 10;
	if (!assemble(c * 100 + y, mo, d, h, mi, sec, f, 0, ms))
		return false;
	/* hour 24 is only 24:00:00.000: no minute to read more times of */
	if (h < 24) {
		memcpy(last_minute, s, TS_MINUTE);
		last_minute_ms = *ms - (sec == 60 ? 59999 : sec * 1000 + f);
		have_minute = true;
	}
	return true;
}

bool
ts_parse(const char *s, size_t n, const struct ts_opts *o, int64_t *ms)
{
	const char	*e = s + n;

	while (s < e && *s == ' ')
		s++;
	while (e > s && e[-1] == ' ')
		e--;
	if (s == e)
		return false;
	if (isdigit((unsigned char)*s) || *s == '-') {
		if (e - s >= 10 && s[4] == '-')
			return parse_iso(s, e, o, ms);
		if (e - s >= 11 && s[2] == '/')
			return parse_clf(s, e, o, ms);
		return parse_epoch(s, e, ms);
	}
	if (e - s >= 4 && s[3] == ' ')
		return parse_syslog(s, e, o, ms) || parse_ctime(s, e, o, ms);
	return false;
}

/*
 * strptime(3) knows no fractions of a second.  The format is run piece by
 * piece: after each %S or %T a fraction ".123" or ",123" is read if the
 * input has one there, and %f reads one where the format says so.
 */
/*
 * The formats made only of %Y %y %m %d %H %M %S, spaces and other
 * literal characters, read without strptime(3) when each field has its
 * full width of digits and a value in range and each space of the format
 * is one space: then strptime would read the same.  Anything
 * else (a narrower field, another conversion, white space) is left to
 * strptime: returns -1.  0: not a time; 1: read.
 */
static int
parse_digits_format(const char *s, size_t n, const char *fmt,
    const struct ts_opts *o, int64_t *ms)
{
	const char	*p = s, *e = s + n;
	int		 y = -1, mo = 1, d = 1, h = 0, mi = 0, sec = 0, v, w;
	bool		 year = false;

	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			/* (white space in the format reads any run of it:
			 * here one space for one space, else strptime) */
			if (*fmt == '\t' || p == e || *p != *fmt ||
			    (*fmt == ' ' && p + 1 < e &&
			    isspace((unsigned char)p[1])))
				return -1;
			p++;
			continue;
		}
		fmt++;
		w = *fmt == 'Y' ? 4 : 2;
		if (!(*fmt == 'Y' || *fmt == 'y' || *fmt == 'm' ||
		    *fmt == 'd' || *fmt == 'H' || *fmt == 'M' ||
		    *fmt == 'S') || (v = digits(&p, e, w)) < 0)
			return -1;
		switch (*fmt) {
		case 'Y': y = v; year = true; break;
		case 'y': y = v < 69 ? 2000 + v : 1900 + v; year = true; break;
		case 'm': mo = v; break;
		case 'd': d = v; break;
		case 'H': h = v; break;
		case 'M': mi = v; break;
		case 'S': sec = v; break;
		}
	}
	/* a fraction after the seconds, the end, or strptime decides */
	if (p != e || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 61)
		return -1;
	if (!year)
		return assemble_yearless(o, mo, d, h, mi, sec, 0, o->zone_min,
		    ms);
	return assemble(y, mo, d, h, mi, sec, 0, o->zone_min, ms);
}

bool
ts_parse_format(const char *s, size_t n, const char *fmt,
    const struct ts_opts *o, int64_t *ms)
{
	char		 tmp[128], piece[128];
	const char	*in, *f, *cut;
	struct tm	 tm;
	int		 zm = o->zone_min, frac = 0;
	bool		 year = false, explicit_frac;
	size_t		 k;

	if ((k = (size_t)parse_digits_format(s, n, fmt, o, ms)) != (size_t)-1)
		return k == 1;
	if (n >= sizeof(tmp) || memchr(s, '\0', n) != NULL)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = this_year() - 1900;
	tm.tm_mday = 1;
	in = tmp;
	for (f = fmt; *f != '\0'; f = cut) {
		/* The next piece ends after %S, %T or at %f. */
		explicit_frac = false;
		for (cut = f; *cut != '\0'; cut++) {
			if (cut[0] != '%' || cut[1] == '\0') {
				continue;
			}
			if (cut[1] == 'Y' || cut[1] == 'y' || cut[1] == 'C' ||
			    cut[1] == 'G' || cut[1] == 'g')
				year = true;
			if (cut[1] == 'f') {
				explicit_frac = true;
				break;
			}
			if (cut[1] == 'S' || cut[1] == 'T' || cut[1] == 's') {
				cut += 2;
				break;
			}
			cut++;	/* %% and the like */
		}
		k = (size_t)(cut - f);
		if (k >= sizeof(piece))
			return false;
		memcpy(piece, f, k);
		piece[k] = '\0';
		if (k > 0 && (in = strptime(in, piece, &tm)) == NULL)
			return false;
		if (explicit_frac || ((*in == '.' || *in == ',') &&
		    isdigit((unsigned char)in[1]) && k > 0 &&
		    (cut[-1] == 'S' || cut[-1] == 'T'))) {
			const char *p = in + !explicit_frac, *e = tmp + n;
			if ((frac = fraction(&p, e)) < 0)
				return false;
			in = p;
		}
		if (explicit_frac)
			cut += 2;
	}
	if (*in != '\0')
		return false;
	if (strstr(fmt, "%z") != NULL)
		zm = (int)(tm.tm_gmtoff / 60);
	if (!year)
		return assemble_yearless(o, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zm, ms);
	return assemble(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zm, ms);
}
