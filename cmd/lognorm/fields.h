/*
 * fields.h - the insides of lognorm's normalizer, between norm.c (which
 * rule), fields.c (the event a rule makes of a record) and program.c (a
 * rule's jq program).  norm.h is the outside.
 */
#ifndef LP_FIELDS_H
#define LP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "json.h"
#include "norm.h"
#include "rule.h"

enum { V_NONE, V_BYTES, V_TOK };

/* A field's value: absent, bytes (a capture, a constant) or a JSON token. */
struct val {
	int		 kind;
	const char	*p;
	size_t		 n;
	int		 tok;
};

/* The record a rule is applied to: captures of a line, or a JSON object. */
struct rec {
	const struct rule *r;
	const char	*text;
	const PCRE2_SIZE *ov;
	uint32_t	 ovn;
	const struct jdoc *doc;
	int		 root;
	bool		 from_text;	/* "null" in a capture means absent */
};

/*
 * The value of member key[0..klen) of object token obj, or -1.  Of a
 * name given twice the last wins, and names are compared unescaped
 * ("x" is "\u0078"), everywhere in lognorm: in match clauses, mappings,
 * the event's fields and attrs, as in jq.
 */
int	get_last(const struct jdoc *d, int obj, const char *key, size_t klen);

/* The field ref of rc into v (V_NONE when absent or null). */
void	rec_get(const struct rec *rc, const struct ref *ref, struct val *v);

/* Whether all the match clauses of rc's rule hold for rc. */
bool	preds_hold(struct norm *n, const struct rec *rc);

/*
 * Map rc into one event and append it to out.  Returns false with the
 * reason in n->tmp (nothing appended).
 */
bool	emit(struct norm *n, const struct rec *rc, struct buf *out);

/*
 * Run rc's rule's jq program over the record rec[0..len) and write the
 * events it makes to out (program.c): the number of events, or -1 with
 * the reason in n->tmp when the rule has not taken the record.
 */
int	program_run(struct norm *n, const struct rec *rc, const char *rec,
	    size_t len, struct buf *out);

#endif
