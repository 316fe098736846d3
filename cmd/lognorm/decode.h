/*
 * decode.h - lognorm's native decoders of span formats: a rule's
 * "decode = otlp-traces", "otlp-logs", "zipkin", "zipkin-span", "jaeger"
 * or "jaeger-trace" (lognorm-rules(5)).
 *
 * A decoder reads the record's JSON tokens and makes one object per span
 * or log record: exactly the object the shipped rule's jq program made
 * (tests/reference/NAME-jq.rules), members in the same order, values as jq
 * writes them (jqval.h).  Each object is an output of the rule, mapped
 * and written as a jq program's are (fields.h, outputs_*), or, under a
 * rule that maps nothing of its own, written as that event directly from
 * its members (devent.c), without the object's tokens; a span that
 * cannot be read is a reject of its own naming its place ("bad span:
 * resourceSpans[0].scopeSpans[0].spans[2]: ..."), with the span as its
 * raw text, and the other spans are events.  No libjq: the record is
 * read once, in time linear in its size.
 *
 * decode.c holds what the decoders share and the dispatch; otlp.c reads
 * OTLP/JSON, spans.c Zipkin v2 and Jaeger JSON; devent.c writes events.
 */
#ifndef LP_DECODE_H
#define LP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fields.h"
#include "jb.h"
#include "jqval.h"

/*
 * An object being built as jq's reduce (...) as $kv ({}; .[$kv.key] =
 * ...) builds it: setting a name that is there already keeps its place
 * and takes the new value.  Names are raw bytes, values JSON text as jq
 * writes it.  Linear: names are hashed once there are more than a few.
 */
struct kvset {
	struct buf	 names;		/* back to back */
	struct buf	 vals;		/* back to back; replaced ones stay */
	struct kv {
		size_t	 koff, klen, voff, vlen;
	}		*kv;
	size_t		 n, cap;
	uint32_t	*tab;		/* kv index + 1, open addressing */
	size_t		 tabcap;	/* a power of two, or 0 */
};

void	kvset_reset(struct kvset *s);
void	kvset_release(struct kvset *s);
/* Set name k[0..kl) to the JSON text v[0..vl). */
void	kvset_set(struct kvset *s, const char *k, size_t kl, const char *v,
	    size_t vl);
/* The JSON text of name k, or false when absent. */
bool	kvset_get(const struct kvset *s, const char *k, size_t kl,
	    const char **v, size_t *vl);
/* Append the object as JSON text. */
void	kvset_write(const struct kvset *s, struct buf *out);

/* What a decoder works with, kept by the normalizer between records. */
struct dec {
	struct norm	*n;
	const struct ruleset *rs;	/* whose names idcache numbers */
	struct outputs	*o;
	const struct jdoc *d;
	struct jb	 jb;		/* the object being made: */
	struct buf	 obj;		/* its text */
	struct jdoc	 odoc;		/* and its tokens */
	int		 memid[32];	/* its members' name numbers */
	int		 nmem;
	struct {			/* name -> number, by the name's
					   address (a literal) */
		const char	*name;
		int		 id;
		int		 field;	/* the event field it is, or -1 */
	}		 idcache[64];
	/* the item's members as dec_key() and the others are given them:
	 * each value's JSON text in vals, or a set (whose text is in vals
	 * too) */
	struct dec_mem {
		const char	*name;	/* a literal */
		size_t		 nlen;
		int		 id;	/* its number (names_lookup) */
		int		 field;	/* the event field it is, or -1 */
		size_t		 off, len;
		const struct kvset *set;
	}		*mem;
	size_t		 nmemb, memcap;
	struct buf	 vals;
	bool		 direct;	/* items are written as events
					   without the generic mapping
					   (devent.c) */
	/* Then each member that is no event field is an attribute, and
	 * its "name": goes into vals before its value, so that when no
	 * field follows the first of them their text from attr0 on is
	 * the event's attrs as they are (attr0 SIZE_MAX: none yet) */
	size_t		 attr0;
	bool		 attr_split;	/* a field came after attr0 */
	struct buf	 ev_attrs, ev_src;	/* that event's attrs, source */
	struct buf	 ev_str[EF_NSTR];	/* its fields, unescaped */
	struct buf	 err;		/* why an item cannot be read */
	/* where the item is, "resourceSpans[0].scopeSpans[1].spans[2]", as
	 * names and places, written only for a reject (dec_at) */
	struct dec_seg {
		const char	*name;	/* "" for an unnamed array */
		size_t		 i;
	}		 seg[4];
	int		 nseg;
	struct buf	 why, raw;	/* a bad item's reject */
	struct buf	 s, s2;		/* scratch for unescaping */
	struct buf	 v;		/* a value being made */
	struct buf	 res, attrs;	/* resource and item attributes, as
					   JSON text */
	struct kvset	 kres, kattrs, kev;
	/* otlp.c's scratch for attribute lists, by depth of nesting */
#define DEC_KVPOOL	4
	struct buf	 kvval[DEC_KVPOOL], kvname[DEC_KVPOOL];
	int		 kvdepth;
	bool		 stop;		/* output is gone */
};

/* Free what a decoder keeps; NULL is accepted. */
void	dec_free(struct dec *dc);

/*
 * dc->err = "Cannot index KIND with string \"key\"", jq's error for
 * .key on tok; returns false.
 */
bool	dec_index_error(struct dec *dc, int tok, const char *key);

/* dc->err = a printf message; returns false. */
bool	dec_error(struct dec *dc, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * The member key of tok as jq's .key reads it: -1 when tok is absent or
 * null (null.key is null) or when the object has none; false, with
 * dc->err, when tok is neither an object nor null.
 */
bool	dec_get(struct dec *dc, int tok, const char *key, int *val);

/*
 * An id as the shipped rules read it: a non-empty string that is not all
 * zeros, lower-cased; one in base64 of 8 or 16 bytes (12 or 24
 * characters, ending in '=') as the lower-case hex of its bytes.
 * Anything else is null.  Appended to out as JSON.
 */
void	dec_id(struct dec *dc, int tok, struct buf *out);

/* Append tok as jq writes it (jqv_write), a string of printable ASCII
 * without escapes as it is. */
void	dec_write(struct dec *dc, int tok, struct buf *out);

/* tok unless it is absent, null, false, "", "0" or 0 (the rules' nz and
 * //), else -1. */
int	dec_nz(struct dec *dc, int tok);

/* Append tok as jq writes it, or null when it is not truthy (jq's
 * "tok // null"). */
void	dec_or_null(struct dec *dc, int tok, struct buf *out);

/* Append the JSON text of s[name], or null when it is absent, null or
 * false (jq's "$s[name] // null"). */
void	kvset_or_null(const struct kvset *s, const char *name,
	    struct buf *out);

/*
 * The item at dc->at cannot be read (dc->err says why): a reject of its
 * own, "bad CLASS: AT: ERR", with tok's text as its raw text (a string's
 * content, else its JSON).
 */
void	dec_bad(struct dec *dc, const char *what, int tok);

/* The item's place: NAME[i] at depth level (0 the outermost), deeper
 * ones forgotten. */
static inline void
dec_at(struct dec *dc, int level, const char *name, size_t i)
{
	dc->seg[level].name = name;
	dc->seg[level].i = i;
	dc->nseg = level + 1;
}

/*
 * An item's object, made member by member: dec_begin(), then for each
 * member dec_key(), which returns the buffer to write its value into as
 * JSON text (or dec_key_kvset() for a set), then dec_end().  Then
 * dec_output() makes it the next output (its event written directly, or
 * the object made and mapped); false when output is gone.
 */
void	dec_begin(struct dec *dc);
struct buf *dec_key_n(struct dec *dc, const char *name, size_t n);
void	dec_key_kvset_n(struct dec *dc, const char *name, size_t n,
	    const struct kvset *set);
/* (the names are literals: their lengths known when compiled) */
#define dec_key(dc, name)	dec_key_n((dc), (name), sizeof(name) - 1)
#define dec_key_kvset(dc, name, s) dec_key_kvset_n((dc), (name), \
	    sizeof(name) - 1, (s))
void	dec_end(struct dec *dc);
bool	dec_output(struct dec *dc);

/* A name looked for among an object's members. */
struct dec_name {
	const char	*s;
	size_t		 n;
};
#define DEC_NAME(s)	{ s, sizeof(s) - 1 }

/*
 * The values of the members names[0..n) of object obj (the last one of a
 * name given twice; names compared unescaped), in one pass over its
 * members, into toks (-1: absent; all -1 when obj is not an object).
 */
void	dec_fields(struct dec *dc, int obj, const struct dec_name *names,
	    int n, int *toks);

/*
 * devent.c: whether the items of rule r can be written as events
 * directly (dec_event); it maps nothing of its own, and n does nothing
 * to an event that the decoders' members would call for (templates,
 * continuation lines).
 */
bool	dec_direct(const struct norm *n, const struct rule *r);

/*
 * The item made (dc->mem) written to the outputs' buffer as the event
 * emit() (fields.c) would make of its object under a rule that maps
 * nothing, with its index among the record's outputs; false, with
 * nothing written, when a value is one that emit() reads otherwise than
 * the common cases here do (a bad timestamp, a status word, a container
 * in a field...): the caller then maps the object as any rule's output.
 */
bool	dec_event(struct dec *dc);

/*
 * program.c: the next output is an event that its maker wrote itself to
 * o->out (dec_event, whose index was o->outputs), counted as
 * outputs_doc() counts one; false when output is gone: make no more.
 */
bool	outputs_event(struct outputs *o);

/* The decoders: false with the reason in dc->err when the record is not
 * what they read (the rule fails); items that cannot be read are rejects
 * of their own. */
bool	otlp_traces(struct dec *dc, int root);
bool	otlp_logs(struct dec *dc, int root);
bool	zipkin_spans(struct dec *dc, int root, bool one);
bool	jaeger_traces(struct dec *dc, int root, bool answer);

/* otlp.c: the attributes list tok (jq's otlp_attrs) into set; false with
 * dc->err when it cannot be read. */
bool	otlp_attrs(struct dec *dc, int tok, struct kvset *set);

#endif
