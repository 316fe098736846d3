/*
 * lognorm.c - unit tests of lognorm's own engine (cmd/lognorm/): message
 * templates.  TAP output; run by tests/01-unit.bats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "tmpl.h"

#include "tap.h"

/* Write text to a fresh temporary file; returns its malloc'd path. */
static char *
tmpfile_with(const char *text)
{
	char	*path;
	int	 fd;

	if ((path = strdup("/tmp/lognorm-unit.XXXXXX")) == NULL ||
	    (fd = mkstemp(path)) < 0)
		abort();
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

/* The id of the template msg matches under csv, or "-" for none. */
static const char *
classify(const struct tmpl *tp, const char *msg)
{
	const struct tmpl_entry *te = tmpl_match(tp, msg, strlen(msg));

	return te ? te->id : "-";
}

static void
test_tmpl_match(void)
{
	static const char csv[] =
	    "EventId,EventTemplate\n"
	    "E1,Accepted password for <*> from <*> port <*> ssh2\n"
	    "E2,<*>\n"
	    "E3,\"Failed password for <*> from <*>, port <*>\"\n"
	    "E4,authentication failure; rhost=<*>\n"
	    "E5,authentication failure; rhost=<*> user=<*>\n"
	    "E6,session opened\n";
	static const struct {
		const char	*msg, *want;
	} cases[] = {
		{ "Accepted password for root from 1.2.3.4 port 22 ssh2", "E1" },
		{ "Failed password for x from 1.2.3.4, port 22", "E3" },
		/* more literal text wins over fewer wildcards */
		{ "authentication failure; rhost=h user=root", "E5" },
		{ "authentication failure; rhost=h", "E4" },
		/* a template without wildcards matches the whole message only */
		{ "session opened", "E6" },
		{ "session opened twice", "E2" },
		{ "", "E2" },
	};
	struct tmpl	 tp;
	struct buf	 msg = BUF_INIT;
	char		*path = tmpfile_with(csv), detail[160];
	size_t		 i;
	bool		 loaded;

	loaded = tmpl_load(&tp, path, &msg);
	ok(loaded && tp.n == 6, "tmpl_load", msg.p);
	for (i = 0; loaded && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = classify(&tp, cases[i].msg);
		snprintf(detail, sizeof(detail), "'%s' -> %s (want %s)",
		    cases[i].msg, got, cases[i].want);
		ok(strcmp(got, cases[i].want) == 0, "tmpl_match", detail);
	}
	if (loaded)
		tmpl_release(&tp);
	unlink(path);
	free(path);
	buf_release(&msg);
}

int
main(void)
{
	test_tmpl_match();
	return tap_done();
}
