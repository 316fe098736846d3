/*
 * norm.h - turning raw records into events with a ruleset (lognorm's core).
 *
 * norm_record() takes one raw record - a line, a pretty-printed JSON
 * document gathered from several lines, or the payload of a kcat -J
 * envelope - finds the first rule that recognises it and appends the
 * events it yields to the output buffer.  A record no rule recognises, or
 * that a rule cannot map (a bad timestamp, a jq error), is handed to the
 * reject stream instead and nothing is appended.  So every record ends in
 * exactly one of the two places.
 */
#ifndef LP_NORM_H
#define LP_NORM_H

#include <stdbool.h>
#include <stdio.h>

#include "attrs.h"
#include "buf.h"
#include "json.h"
#include "reject.h"
#include "rule.h"
#include "tmpl.h"
#include "ts.h"

struct held;
struct dec;
struct shape;

/*
 * A JSON record's members by the ruleset's names (rule.h, struct names):
 * built in one pass over the object's members (each name hashed once),
 * then the value of a name the rules refer to is val[number] (the last
 * member of that name), and memid[m] says what member m's name is, for
 * emit()'s pass.  A slot is current when its stamp is the index's gen,
 * so that nothing is cleared between records.
 */
struct keyidx {
	const struct jdoc *doc;		/* the object indexed: doc, root, */
	const char	*src;		/* and doc's text then */
	int		 root;
	uint32_t	 gen;
	const int	*val;		/* by name number: value token */
	const uint32_t	*stamp;
	const int	*memid;		/* by member: name number, or -1 */
	/* The arrays val, stamp and memid are these, the index's own, or
	 * those of the record's shape (shape.c). */
	int		*ownval;
	uint32_t	*ownstamp, owngen;
	int		 nval;
	int		*ownmemid;
	size_t		 memcap;
	struct buf	 key;		/* an escaped name, unescaped */
	/* The name found at each of the first places of the object
	 * before, and its number: records of a log repeat their names in
	 * the same order, and a name compared costs less than one looked
	 * up.  len is the name's length plus one, 0 for none. */
#define KX_MEMO		16
	struct kxmemo {
		char		 name[16];
		size_t		 len;
		int		 id;
	}		 memo[KX_MEMO];
	const void	*memo_nm;	/* the names they were looked up in */
};


struct norm {
	const struct ruleset	*rs;
	struct ts_opts		 ts;
	struct tmpl		*tmpl;		/* NULL: no classification */
	struct reject		*rej;
	unsigned long		 events;	/* events written */
	unsigned long		 records;	/* records accepted */
	unsigned long		 out_rejects;	/* outputs of jq programs
						   rejected, of records
						   accepted */
	bool			(*commit)(void);	/* called after each
						   event of a jq program,
						   to write them as they
						   come; false: output is
						   gone, stop.  NULL: none */
	const char		*input;		/* the record being read */
	long			 line;
	/* scratch, reused record after record */
	struct jdoc		 doc, jqdoc, envdoc, decdoc;
	struct buf		 decoded;	/* a decoded line, as JSON */
	struct attrs		 attrs;		/* of the event being built */
	struct buf		 source, payload, tmp, jqtext, msg;
	struct buf		 keytmp;	/* an escaped key, unescaped */
	struct buf		 keyname;	/* the same, in the member pass */
	struct buf		 srcidx;	/* source with "index" */
	long			 index;		/* of the record's events, the
						   one being built, or -1 */
	struct buf		 srcfile;	/* "file":NAME,"line": */
	bool			 src_file;	/* source begins with srcfile */
	struct buf		 failed;	/* first mapping failure of a record */
	const char		*lastinput;	/* the input srcfile is for */
	struct buf		 field[EF_NFIELDS];
	/* program.c: outputs that failed before the first event */
	struct held		*held;
	size_t			 nheld, heldcap;
	struct buf		 heldtext;
	struct dec		*dec;		/* a span decoder's (decode.h) */
	struct keyidx		 kx;		/* the JSON record's members */
	bool			 attrs_fast;	/* the event's attributes cannot
						   repeat a name (fields.c) */
	FILE			*explain;	/* --explain: where to, or NULL */
	/* A multi-line record: its continuation lines, cont[0..contlen),
	 * after the first line's firstlen bytes (which the rules read);
	 * NULL: a record of one line (set by the caller of norm_record). */
	const char		*cont;
	size_t			 contlen, firstlen;
	bool			 msg_put;	/* the event has a message */
	struct buf		 contmsg;	/* the message with them */
	int			 taken;		/* the rule that took the record */
	unsigned long		*hit_records;	/* by rule: records taken, */
	unsigned long		*hit_events;	/* and events made */
	/* the timestamp text read last, and what it gave (fields.c) */
	struct tscache {
		char		 text[64];
		size_t		 len;
		const char	*fmt;		/* time_format, or NULL */
		bool		 num, valid, ok, same;
		int64_t		 ms;
	}			 tsc;
	/* a timestamp text whose seconds are known to be the two digits
	 * at k: a text the same but for them is base plus them (tswin.c) */
	struct tswin {
		char		 text[64];
		size_t		 len, k;
		const char	*fmt;
		int64_t		 base;
		bool		 valid;
		char		 form[64];	/* a text whose seconds were
						   checked to be at k */
	}			 tsw;
	/* the line number of the last record, in decimal (norm.c) */
	char			 lineno[24];
	size_t			 linelen;
	long			 lastline;
	/* the dispatch values of the last JSON records, and their rules
	 * (norm.c: json_rules); list NULL: none yet */
#define NDISP	4
	struct dispmemo {
		char		 val[32];
		size_t		 len;
		const int	*list;
	}			 disp[NDISP];
	int			 dispnext;	/* the one to replace */
	/* the last timestamp a plan wrote, formatted (plan.c) */
	char			 iso[TS_LEN + 1];
	int64_t			 iso_ms;
	bool			 iso_ok;
	/* the shapes of the JSON records seen last (shape.c); the one of
	 * the record before is tried first */
#define NSHAPES	8
	struct shape		*shapes[NSHAPES];
	int			 shapelast;
	unsigned long		 shapeclock;
};

/* Set up n over a finished ruleset; tmpl and the options may be NULL/0. */
void	norm_init(struct norm *n, const struct ruleset *rs,
	    const struct ts_opts *ts, struct tmpl *tmpl,
	    struct reject *rej);

/*
 * Normalize the record rec[0..len) read from input at line (its first
 * line).  Events go to out; returns the number written, 0 if the record was
 * rejected.  rec[len] must be writable (it may be NUL-terminated).
 */
int	norm_record(struct norm *n, const char *input, long line, char *rec,
	    size_t len, struct buf *out);

/* Free the scratch storage. */
void	norm_release(struct norm *n);

#endif
