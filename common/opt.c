/*
 * opt.c - option values; see opt.h.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lp.h"
#include "opt.h"
#include "ts.h"

long long
opt_num(const char *s, long long min, long long max, const char *what)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || (*s != '-' && *s != '+' &&
	    (*s < '0' || *s > '9')))
		errx(LP_EXIT_USAGE, "invalid %s '%s': not a number", what, s);
	if ((errno == ERANGE && v == LLONG_MIN) || v < min)
		errx(LP_EXIT_USAGE, "invalid %s '%s': less than %lld", what, s,
		    min);
	if (errno == ERANGE || v > max)
		errx(LP_EXIT_USAGE, "invalid %s '%s': more than %lld", what, s,
		    max);
	return v;
}

/* A number at the start of s; *end after it.  Exits if there is none. */
static double
number(const char *s, char **end, const char *what)
{
	double	 v;

	errno = 0;
	if (*s == '\0' || strchr("+-.0123456789", *s) == NULL)
		errx(LP_EXIT_USAGE, "invalid %s '%s': not a number", what, s);
	v = strtod(s, end);
	if (*end == s || errno == ERANGE || !isfinite(v))
		errx(LP_EXIT_USAGE, "invalid %s '%s': not a number", what, s);
	return v;
}

double
opt_real(const char *s, double min, double max, const char *what)
{
	char	*end;
	double	 v = number(s, &end, what);

	if (*end != '\0')
		errx(LP_EXIT_USAGE, "invalid %s '%s': not a number", what, s);
	if (v < min || v > max)
		errx(LP_EXIT_USAGE, "invalid %s '%s': not between %g and %g",
		    what, s, min, max);
	return v;
}

int64_t
opt_duration_ms(const char *s, int64_t max, const char *what)
{
	static const struct {
		const char	*unit;
		double		 ms;
	} units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	char	*end;
	double	 v = number(s, &end, what), unit = 0;
	size_t	 i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0)
			unit = units[i].ms;
	if (unit == 0)
		errx(LP_EXIT_USAGE, "invalid %s '%s': unit is not ms, s, m, h "
		    "or d", what, s);
	v *= unit;
	if (v < 0 || v > (double)max)
		errx(LP_EXIT_USAGE, "invalid %s '%s': not between 0 and %lldms",
		    what, s, (long long)max);
	return (int64_t)llround(v);
}

long long
opt_size(const char *s, long long min, long long max, const char *what)
{
	char	*end;
	double	 v = number(s, &end, what);

	if (strcmp(end, "k") == 0 || strcmp(end, "K") == 0)
		v *= 1024;
	else if (strcmp(end, "M") == 0)
		v *= 1024 * 1024;
	else if (strcmp(end, "G") == 0)
		v *= 1024.0 * 1024 * 1024;
	else if (*end != '\0')
		errx(LP_EXIT_USAGE, "invalid %s '%s': unit is not k, M or G",
		    what, s);
	if (v < (double)min || v > (double)max)
		errx(LP_EXIT_USAGE, "invalid %s '%s': not between %lld and "
		    "%lld", what, s, min, max);
	return (long long)v;
}

int
opt_zone(const char *s)
{
	int	 zm;

	if (!ts_parse_zone(s, strlen(s), &zm))
		errx(LP_EXIT_USAGE, "invalid zone '%s' (expected Z, UTC, "
		    "+HH:MM, +HHMM or +HH)", s);
	return zm;
}

void
opt_check_output(const char *path, const char *opt, char *const *files)
{
	struct stat	 out, in;
	char *const	*f;
	static char	*const stdin_only[] = { "-", NULL };

	if (stat(path, &out) != 0 || !S_ISREG(out.st_mode))
		return;		/* a new file, a device, a pipe: no input */
	for (f = *files != NULL ? files : stdin_only; *f != NULL; f++) {
		if (strcmp(*f, "-") == 0) {
			if (fstat(STDIN_FILENO, &in) != 0)
				continue;
		} else if (stat(*f, &in) != 0)
			continue;
		if (in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			errx(LP_EXIT_USAGE, "%s %s: '%s' is one of the inputs "
			    "(refusing to overwrite it)", opt, path,
			    strcmp(*f, "-") == 0 ? "(stdin)" : *f);
	}
}
