/*
 * jb.h - writing a JSON object and its tokens at once, so that what a
 * native decoder makes (decode.h) needs no parse before it is mapped: the
 * text and the tokens are those jdoc_parse() would give for it (json.h).
 *
 *	jb_start(&b, &doc, &text);
 *	jb_key(&b, "name");  jb_value(&b, "\"x\"", 3);  ...
 *	jb_finish(&b);		(doc now describes text)
 *
 * A value is JSON text as jq writes it (jqval.h): valid, compact, valid
 * UTF-8.  Scalars are tokenized as they are appended; a container's
 * tokens are parsed from its text.
 */
#ifndef LP_JB_H
#define LP_JB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "json.h"

struct jb {
	struct buf	*text;
	struct jdoc	*doc;
	struct jdoc	 tmp;		/* a container value's tokens */
	uint32_t	 open[8];	/* the objects open: the root first */
	int		 depth;
};

/* Start an object in doc (reset) whose text is text (reset). */
void	jb_start(struct jb *b, struct jdoc *doc, struct buf *text);

/* The next member's name: a literal that needs no escaping. */
void	jb_key(struct jb *b, const char *name, size_t n);

/* The next member's name: any bytes (escaped as jw_str escapes). */
void	jb_key_str(struct jb *b, const char *name, size_t n);

/* Its value, an object whose members follow, up to jb_close(). */
void	jb_open(struct jb *b);
void	jb_close(struct jb *b);

/* Its value, JSON text v[0..n). */
void	jb_value(struct jb *b, const char *v, size_t n);

/* Close the object: doc describes text. */
void	jb_finish(struct jb *b);

/* Free the scratch storage. */
void	jb_release(struct jb *b);

#endif
