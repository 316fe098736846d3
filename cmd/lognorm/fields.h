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
	bool		 json;		/* V_BYTES that jw_str writes as they
					   are (jw_plain) */
};

/* Index the members of object root of d (does nothing to anything else). */
void	keyidx_build(struct keyidx *kx, const struct names *nm,
	    const struct jdoc *d, int root);

/* The same when the members' name numbers are known: ids[m] of member m
 * (-1: none), so that no name is hashed (a decoder's object). */
void	keyidx_known(struct keyidx *kx, const struct names *nm,
	    const struct jdoc *d, int root, const int *ids);

void	keyidx_release(struct keyidx *kx);

/* The record a rule is applied to: captures of a line, or a JSON object. */
struct rec {
	const struct rule *r;
	const char	*text;
	const PCRE2_SIZE *ov;
	uint32_t	 ovn;
	const struct jdoc *doc;
	int		 root;
	bool		 from_text;	/* "null" in a capture means absent */
	bool		 plain;		/* text needs no escaping (jw_plain) */
	const struct keyidx *kx;	/* doc's index, or NULL */
	bool		 unique;	/* doc's members have distinct names
					   none of which lognorm adds itself
					   (a span decoder's object) */
	bool		 dispatched;	/* the rule was chosen by the value
					   of the dispatch field: its clause
					   on that value holds (rule.h) */
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

/* Whether all the match clauses of rc's rule hold for rc (with
 * --explain, the first that does not is told). */
bool	preds_test(struct norm *n, const struct rec *rc);

/* preds_test(), without the call for a rule that has no clause to test
 * but the one its dispatch tested (the text rules, most JSON rules). */
static inline bool
preds_hold(struct norm *n, const struct rec *rc)
{
	const struct rule *r = rc->r;

	if (r->npreds == 0 || (r->npreds == 1 && rc->dispatched &&
	    r->dispatched == 1))
		return true;
	return preds_test(n, rc);
}

/* Append the value of field ref of rc as JSON, "null" or "absent" (for
 * --explain). */
void	rec_value_text(struct norm *n, const struct rec *rc,
	    const struct ref *ref, struct buf *out);

/*
 * lognorm --explain (explain.c): for each record, on n->explain, the
 * rules tried in turn and why each did not take it.
 */
void	explain_record(struct norm *n, const char *rec, size_t len);
void	explain_rule(struct norm *n, const struct rule *r, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
void	explain_pred(struct norm *n, const struct rec *rc,
	    const struct pred *pr);
void	explain_end(struct norm *n, int events, const char *why);

/*
 * Map rc into one event and append it to out.  Returns false with the
 * reason in n->tmp (nothing appended).
 */
bool	emit(struct norm *n, const struct rec *rc, struct buf *out);

/*
 * The pieces of emit() that a text rule's plan (plan.c) shares.
 *
 * eval_value: a mapping's value for rc into v (templates are built in
 * scratch).  set_field: field f of ev from v, normalized (a timestamp's
 * text, a status that is no known word, go to attrs); false with the
 * reason in n->tmp.  attr_put_name: the attribute an = v appended to
 * n->attrs (keytok: the member's key token, or -1).  emit_end: the event's
 * template attributes, rule, attrs and source, ready for event_write.
 */
void	eval_value(struct norm *n, const struct rec *rc,
	    const struct value *val, struct buf *scratch, struct val *v);
bool	set_field(struct norm *n, const struct rec *rc, struct event *ev,
	    int f, const struct val *v);
void	attr_put_name(struct norm *n, const struct rec *rc,
	    const struct aname *an, int keytok, const struct val *v);
void	emit_end(struct norm *n, const struct rec *rc, struct event *ev);

/*
 * tswin.c: the time of a timestamp text p[0..len) (time_format fmt, or
 * NULL) that differs from one read before only in its seconds, without
 * reading it (false: read it); and, after ts_parse or ts_parse_format
 * read p as ms, the seconds of p found and checked, for the texts to
 * come.  prev[0..prevlen) is the text read before p, or NULL.
 */
bool	tswin_get(struct norm *n, const char *p, size_t len, const char *fmt,
	    int64_t *ms);
void	tswin_learn(struct norm *n, const char *p, size_t len,
	    const char *fmt, int64_t ms, const char *prev, size_t prevlen);

/*
 * The time of timestamp text p[0..len) in *ms: a JSON number's text when
 * num (epoch seconds or milliseconds, by its magnitude), else read with
 * time_format fmt, or without one (NULL) in a form ts_parse() knows; and
 * in *same whether the text is its normalized form already (no
 * timestamp_raw).  False when it is no time.  Logs come in time order:
 * the text read last is kept with what it gave (struct norm's tsc), and
 * one that differs from a text read before only in its seconds is not
 * read again (tswin_get).
 */
bool	ts_read(struct norm *n, const char *p, size_t len, const char *fmt,
	    bool num, int64_t *ms, bool *same);

/*
 * emit() for a line that rc's rule, which has a plan (rule.h), matched:
 * the same bytes, written from the plan.  Not for a record with
 * continuation lines, nor for one of several events of a record.
 */
bool	plan_emit(struct norm *n, const struct rec *rc, struct buf *out);

/*
 * Index the members of d (parsed, its root an object) into n->kx, as
 * keyidx_build() does: through the record's shape, the names of its
 * members in order, when it is one of the shapes seen last, or learnt
 * now (shape.c).
 */
void	shape_index(struct norm *n, const struct jdoc *d);
void	shapes_release(struct norm *n);

/*
 * Run rc's rule's jq program over the record rec[0..len) and write the
 * events it makes to out (program.c): the number of events, or -1 with
 * the reason in n->tmp when the rule has not taken the record.
 */
int	program_run(struct norm *n, const struct rec *rc, const char *rec,
	    size_t len, struct buf *out);

/*
 * Decode the record rec[0..len) with rc's rule's native decoder (decode.h)
 * and write the events it makes to out: as program_run.
 */
int	decode_run(struct norm *n, const struct rec *rc, const char *rec,
	    size_t len, struct buf *out);

/*
 * The outputs of a jq program or a native decoder for one record
 * (program.c): each an object that becomes an event, or a reject of its
 * own.  Until the first event the rule has not taken the record: bad
 * outputs are held back, and if there is no event at all the rule fails
 * with the reason of the first.  From the first event on, events are
 * written as they come (n->commit) and bad outputs are rejects naming
 * their place ("output 3 of rule 'x'").
 */
struct outputs {
	struct norm	*n;
	const struct rec *rc;
	struct buf	*out;
	long		 outputs, events;
	bool		 stop, gone;	/* output is gone: stop making */
	bool		 unique;	/* the objects' members have distinct
					   names (struct rec) */
	const int	*memid;		/* the numbers of their members'
					   names, when known (keyidx_known) */
};

void	outputs_begin(struct outputs *o, struct norm *n, const struct rec *rc,
	    struct buf *out);

/*
 * The object text[0..len) (JSON) as the next output: an event, or a
 * reject of its own ({"reject": why, "raw": ...}, or one that cannot be
 * mapped).  False when output is gone: make no more.
 */
bool	outputs_object(struct outputs *o, const char *text, size_t len);

/* The same for an object already parsed into doc (root token 0), whose
 * text is text[0..len). */
bool	outputs_doc(struct outputs *o, const struct jdoc *doc,
	    const char *text, size_t len);

/* The next output is a reject of its own: why, and its raw text. */
void	outputs_reject(struct outputs *o, const char *why, const char *raw,
	    size_t rawlen);

/*
 * The end of the record: the number of events written, or -1 with the
 * reason in n->tmp.  failed: the record could not be read to its end,
 * the reason in n->tmp; after an event that is a reject of its own
 * (raw: the record rec[0..len)), before one the rule's failure.
 */
int	outputs_end(struct outputs *o, bool failed, const char *rec,
	    size_t len);

#endif
