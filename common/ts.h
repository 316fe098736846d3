/*
 * ts.h - timestamps: reading the forms logs write, writing RFC 3339.
 *
 * Every time is carried as milliseconds since the Unix epoch (UTC) and
 * written as "YYYY-MM-DDTHH:MM:SS.mmmZ".  Fractions finer than a millisecond
 * are truncated.  Years 0000-9999 only.
 */
#ifndef LP_TS_H
#define LP_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TS_LEN	24	/* strlen("2025-05-04T10:30:00.000Z") */

struct ts_opts {
	int	 year;		/* for forms without a year (syslog); 0: this
				   year, or the last if that is in the future */
	int	 zone_min;	/* offset east of UTC, minutes, for zone-less times */
};

/*
 * Read s[0..n) in any of the automatically recognised forms:
 *   ISO 8601 / RFC 3339   2025-05-04T10:30:00, 2025-05-04 10:30:00.123+02:00,
 *                         ...Z, ±HHMM, ±HH; a date alone is midnight
 *   epoch numbers         seconds, ms, us or ns by magnitude, fraction allowed
 *   syslog                May  4 10:30:00 (year from opts)
 *   Apache access         04/May/2025:10:30:00 +0000
 *   ctime / Apache error  Sun Dec 04 04:47:44 2005
 * Zone-less forms are in opts->zone_min.  Returns false if s is none of them
 * or names an impossible time.
 */
bool	ts_parse(const char *s, size_t n, const struct ts_opts *opts,
	    int64_t *ms);

/*
 * A zone offset alone: Z, UTC, GMT, +HH:MM, +HHMM or +HH, to minutes east
 * of UTC.  For a command's zone option.
 */
bool	ts_parse_zone(const char *s, size_t n, int *zone_min);

/*
 * Read exactly the form ts_format() writes ("2025-05-04T10:30:00.000Z"),
 * quickly; false for anything else (ts_parse reads every form).
 */
bool	ts_parse_canonical(const char *s, size_t n, int64_t *ms);

/* Epoch number of unknown unit (s, ms, us, ns chosen by magnitude). */
bool	ts_from_epoch(double v, int64_t *ms);

/*
 * Read s[0..n) with strptime(3) format fmt (e.g. "%y%m%d %H%M%S"); the
 * whole of s must be used.  Zone-less unless the format reads %z.  A
 * fraction of a second after %S or %T (".811", ",811") is read although
 * strptime(3) cannot, and %f reads one where the format puts it; a format
 * without a year is read as syslog stamps are (opts->year).
 */
bool	ts_parse_format(const char *s, size_t n, const char *fmt,
	    const struct ts_opts *opts, int64_t *ms);

/* Write ms as RFC 3339 UTC into out (TS_LEN bytes plus NUL). */
void	ts_format(int64_t ms, char out[TS_LEN + 1]);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t	ts_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
