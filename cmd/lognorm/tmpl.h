/*
 * tmpl.h - message templates: classifying log messages by loghub-style
 * templates ("PacketResponder <*> for block blk_<*> terminating").
 *
 * A template is literal text with <*> wildcards, each matching any run of
 * characters (possibly empty).  When several templates match a message the
 * most specific wins: the most literal text, then the fewest wildcards,
 * then the first in the file.  (Literal text first: "... rhost=<*>
 * user=<*>" is more specific than "... rhost=<*>" although it has one
 * wildcard more, and loghub's ground truth agrees.)
 */
#ifndef LP_TMPL_H
#define LP_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct tmpl_entry {
	char		*id;		/* EventId */
	char		*text;		/* EventTemplate, as written */
	char		**seg;		/* literal pieces between wildcards */
	size_t		*seglen;
	int		 nseg;		/* wildcards + 1 */
	size_t		 literal;	/* total literal length */
};

struct tmpl {
	struct tmpl_entry *t;		/* sorted most specific first */
	int		 n;
};

/*
 * Load a templates CSV ("EventId,EventTemplate" header, RFC 4180 quoting).
 * Returns false with "file:line: what" in errmsg on error.
 */
bool	tmpl_load(struct tmpl *tp, const char *path, struct buf *errmsg);

/* The most specific template matching msg[0..n), or NULL. */
const struct tmpl_entry *tmpl_match(const struct tmpl *tp, const char *msg,
	    size_t n);

void	tmpl_release(struct tmpl *tp);

#endif
