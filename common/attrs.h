/*
 * attrs.h - an event's attrs object as data: get, put and merge members
 * by name, the last value of a name winning.
 *
 * A struct attrs holds the members as compact JSON text without braces,
 * ready for event.attrs, with an index of their names.  Names are
 * compared after unescaping, so "x" and "\u0078" are one name.  Putting a
 * name that is there already removes the earlier member, and the new one
 * goes last: the text always holds each name once.  Lookups are linear
 * for a few members and through a map (map.h) past that, so a record of
 * thousands of members stays linear to build.
 */
#ifndef LP_ATTRS_H
#define LP_ATTRS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "json.h"
#include "map.h"

struct attrs {
	struct buf	 text;		/* "name":value,... */
	struct buf	 names;		/* the names, unescaped, back to back */
	struct attr_slot {
		size_t	 noff, nlen;	/* the name in names */
		size_t	 off, len;	/* the member in text */
	}		*slot;
	size_t		 n, cap;
	struct map	 index;		/* name -> slot + 1, once n > 16 */
	size_t		 open;		/* attrs_begin: the slot being written */
};

#define ATTRS_INIT { BUF_INIT, BUF_INIT, NULL, 0, 0, MAP_INIT, 0 }

/* Forget every member, keep the storage. */
void	attrs_reset(struct attrs *a);

/* Free the storage; a is empty and reusable. */
void	attrs_release(struct attrs *a);

/*
 * Start the member name[0..nl) (raw bytes): an earlier member of that name
 * is removed, "name": is written, and the buffer is returned for the
 * caller to append exactly one JSON value to; then call attrs_end().
 */
struct buf *attrs_begin(struct attrs *a, const char *name, size_t nl);
void	attrs_end(struct attrs *a);

/* Put name = a JSON value (text already JSON: a number, an object...). */
void	attrs_put_json(struct attrs *a, const char *name, size_t nl,
	    const char *json, size_t jl);

/* Put name = a string, s[0..n) raw bytes. */
void	attrs_put_str(struct attrs *a, const char *name, size_t nl,
	    const char *s, size_t n);

/*
 * The value of name as JSON text (pointing into a's text, valid until a
 * changes), or false when absent.
 */
bool	attrs_get(const struct attrs *a, const char *name, size_t nl,
	    const char **json, size_t *jl);

/* Remove name; false if it was absent. */
bool	attrs_del(struct attrs *a, const char *name, size_t nl);

/*
 * Merge the members text[0..n) (compact or not, no braces: an event's
 * attrs view) into a: a name a lacks is added; a name a has is replaced
 * when overwrite is set, else kept.  doc is scratch for the parse.
 * Returns false, changing nothing, if text is not valid JSON members.
 */
bool	attrs_merge(struct attrs *a, const char *text, size_t n, bool overwrite,
	    struct jdoc *doc);

#endif
