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
 *
 * Matching goes through an index, as Drain's prefix tree does, so that its
 * cost grows with the message and not with the number of templates: each
 * template is filed under one word of its literal text that stands alone
 * (spaces or the template's ends on both sides, no wildcard), the rarest
 * such word among the templates, which every message it matches must hold
 * as a word too; a message is tried only against the templates filed under
 * its own words, and those that have no such word.  Loading sorts once:
 * n log n.
 */
#ifndef LP_TMPL_H
#define LP_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "map.h"

struct tmpl_entry {
	char		*id;		/* EventId */
	char		*text;		/* EventTemplate, as written */
	size_t		 textlen;
	size_t		*segoff;	/* literal pieces between wildcards: */
	size_t		*seglen;	/* offsets into text, and lengths */
	int		 nseg;		/* wildcards + 1 */
	size_t		 literal;	/* total literal length */
	int		 order;		/* row in the file, from 0 */
};

/* The templates filed under one word (see above), most specific first. */
struct tmpl_bucket {
	const char	*word;		/* into a template's text */
	size_t		 wlen;
	int		*rank;		/* indexes into tmpl.t */
	size_t		 n, cap;
	unsigned long	 seen;		/* tmpl_match's pass that saw it */
};

struct tmpl {
	struct tmpl_entry *t;		/* sorted most specific first */
	int		 n;
	struct map	 index;		/* word -> struct tmpl_bucket */
	int		*loose;		/* templates without a word, in order */
	size_t		 nloose;
	unsigned long	 pass;		/* of tmpl_match, for buckets' seen */
};

#define TMPL_INIT { NULL, 0, MAP_INIT, NULL, 0, 0 }

/*
 * Load a templates CSV ("EventId,EventTemplate" header, RFC 4180 quoting,
 * further columns ignored).  Returns false with "file:line: what" in
 * errmsg on error (an empty id or template, an unterminated quote, a NUL
 * byte), and tp empty.
 */
bool	tmpl_load(struct tmpl *tp, const char *path, struct buf *errmsg);

/* The same for the CSV text[0..len); name is the file name for messages. */
bool	tmpl_load_text(struct tmpl *tp, const char *name, const char *text,
	    size_t len, struct buf *errmsg);

/*
 * The most specific template matching msg[0..n), or NULL.  tp is not
 * changed but for the bookkeeping of the index.
 */
const struct tmpl_entry *tmpl_match(struct tmpl *tp, const char *msg,
	    size_t n);

/* Free everything; tp is empty and reusable. */
void	tmpl_release(struct tmpl *tp);

#endif
