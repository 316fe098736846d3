/*
 * rule.h - lognorm's rules: reading rule files (rule.c) and compiling
 * them (compile.c).
 *
 * A rule says which raw records it recognises (a PCRE2 pattern for text, or
 * field predicates for JSON) and how the record's fields become an event's
 * (renames, constants, interpolation, and optionally a jq program that may
 * turn one record into several).  The format is lognorm-rules(5).
 *
 * Everything is compiled once, at load time: patterns JIT-compiled, jq
 * programs compiled, field references resolved to capture-group numbers, so
 * that applying a rule (norm.h) does no parsing of its own.
 */
#ifndef LP_RULE_H
#define LP_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <jq.h>

#include "buf.h"
#include "event.h"
#include "json.h"
#include "lp.h"
#include "map.h"

/* A reference to a field of the record: "$name" or "$a.b.c". */
struct ref {
	char		*path;		/* dotted path, NUL-terminated */
	size_t		 len;
	size_t		 headlen;	/* length of the first segment */
	int		 group;		/* text rules: capture group, or -1 */
	int		 line;		/* where it is written, for messages */
	int		 id;		/* its first segment's number among the
					   ruleset's names, plus 1; 0: none */
};

/* One piece of an interpolated string "...${name}...". */
struct piece {
	char		*lit;		/* literal text, or NULL for a ref */
	size_t		 litlen;
	struct ref	 ref;
};

enum valkind {
	VAL_NULL,			/* null */
	VAL_CONST,			/* a constant string */
	VAL_REF,			/* $name: the field's value, typed */
	VAL_TEMPLATE			/* "text ${name} text" */
};

struct value {
	enum valkind	 kind;
	char		*str;		/* VAL_CONST */
	size_t		 len;
	bool		 plain;		/* str needs no escaping (jw_plain);
					   VAL_TEMPLATE: its literal text */
	struct ref	 ref;		/* VAL_REF */
	struct piece	*pieces;	/* VAL_TEMPLATE */
	int		 npieces;
};

/*
 * An attribute's name as the rule compiler knows it: the name, and its
 * JSON member key ("name":) written once, at load time, so that an event's
 * attributes are appended without escaping their names line after line.
 */
struct aname {
	const char	*s;
	size_t		 n;
	const char	*key;		/* "name": as JSON, or NULL: not known */
	size_t		 keylen;
};

/* The aname of a string literal. */
#define ANAME(lit)	{ lit, sizeof(lit) - 1, "\"" lit "\":", sizeof(lit) + 2 }

/* Set an to name (NUL-terminated) with its key, malloc'd; aname_free. */
void	aname_set(struct aname *an, const char *name);
void	aname_free(struct aname *an);

/* A mapping: an event field or an attribute set from a value. */
struct mapping {
	int		 field;		/* enum efield, or -1 for an attribute */
	char		*attr;		/* attribute name when field is -1 */
	struct aname	 an;		/* attr, with its key (rule_compile) */
	struct value	 val;
};

enum predop { PRED_PRESENT, PRED_ABSENT, PRED_EQ, PRED_NE };

struct pred {
	enum predop	 op;
	struct ref	 ref;
	char		*json;		/* PRED_EQ/NE: the literal, as JSON text */
	size_t		 jsonlen;
	bool		 is_string;	/* the literal is a string: raw in str */
	char		*str;
	size_t		 len;
	char		*text;		/* the clause as written (--explain) */
};

/*
 * Bounds of a rule's work on one record, and their defaults (rule keys of
 * the same names, lognorm-rules(5)): PCRE2's match and depth limits, far
 * below PCRE2's own 10,000,000, so that one bad pattern cannot slow the
 * stream by orders of magnitude; and the events a jq program may make of
 * one record, the bytes of one of them, and the seconds it may run
 * before the watchdog stops lognorm (0: no watchdog).
 */
#define RULE_MATCH_LIMIT	100000
#define RULE_DEPTH_LIMIT	10000
#define RULE_JQ_MAX_EVENTS	100000
#define RULE_JQ_MAX_BYTES	(16L * 1024 * 1024)
#define RULE_JQ_TIMEOUT		10
#define RULE_MAX_LINES		1000	/* of a multi-line record */

struct rule {
	char		*name;
	char		*jname;		/* name as a JSON string, for output */
	size_t		 jnamelen;
	char		*file;		/* where it was defined, for messages */
	int		 line;
	int		 priority;
	int		 order;		/* load order, the last tie-breaker */
	bool		 builtin;
	bool		 is_text;	/* text or header rule; else JSON */
	enum decoder {
		DECODE_NONE,
		DECODE_LOGFMT,		/* "decode = logfmt": the record is
					   the line's pairs (logfmt.h) */
		/* span decoders (decode.h): a JSON rule whose outputs are
		 * the spans or log records of the record */
		DECODE_OTLP_TRACES,
		DECODE_OTLP_LOGS,
		DECODE_ZIPKIN,
		DECODE_ZIPKIN_SPAN,
		DECODE_JAEGER,
		DECODE_JAEGER_TRACE
	}		 decode;
	pcre2_code	*re;
	bool		 jit;		/* re was JIT-compiled */
	uint32_t	 match_limit, depth_limit;	/* PCRE2's, per match */
	long		 jq_max_events;	/* per record */
	size_t		 jq_max_bytes;	/* per event */
	unsigned	 jq_timeout;	/* seconds per record; 0: none */
	char		*needle;	/* literal text every match contains,
					   tested with memmem before the
					   pattern runs; NULL: none known */
	size_t		 needlelen;
	size_t		 rare1, rare2;	/* its rarest bytes' offsets */
	int		 specificity;	/* predicates, or literal characters */
	struct pred	*preds;
	int		 npreds;
	jq_state	*jq;
	char		*jqsrc;
	int		 jqline;
	struct mapping	*maps;
	int		 nmaps;
	int		 mapped[EF_NFIELDS];	/* index into maps, or -1 */
	unsigned	 mapmask;	/* bit f: mapped[f] >= 0 */
	char		**drops;
	int		 ndrops;
	char		*time_format;
	/* Text rules: the named groups, for copying the unused ones into
	 * attrs in pattern order. */
	struct capname {
		char	*name;
		int	 group;
		bool	 used;	/* mapped, or dropped: not an attribute */
		struct aname an;	/* name, with its key */
	}		*caps;
	int		 ncaps;
	/* Top-level record fields that mappings take whole, or that are
	 * dropped: not copied into attrs. */
	char		**used;
	size_t		*usedlen;
	int		 nused;
	/* What a member is to the rule, by its name's number (K_*). */
	unsigned char	*klass;
	int		 nattrmaps;	/* mappings to attributes */
	/* Multi-line records (lognorm-rules(5), start): a line that start
	 * matches begins a record of this rule; the lines after it that
	 * begin none and match cont (when set), up to max_lines, are its
	 * continuation lines. */
	pcre2_code	*start, *cont;
	char		*startsrc, *contsrc;
	int		 startline, contline;
	long		 max_lines;
	bool		 attrs_unique;	/* a text rule whose attributes (its
					   unused groups, attrs mappings and
					   those lognorm adds) have distinct
					   names */
	struct plan	*plan;		/* its event, compiled (plan.c), or
					   NULL */
	int		 dispatched;	/* its match clause that the
					   dispatch (struct dispatch) tests,
					   plus 1; 0: none */
};

/*
 * The top-level names that the rules refer to (in match clauses,
 * mappings, drop), the event fields' and "attrs", numbered once by
 * ruleset_finish (index.c), so that each member of a record is looked up
 * once, by its name, and then found by number (fields.h, keyidx).
 */
struct names {
	char		**name;
	size_t		*len;
	int		 n;
	uint32_t	*tab;		/* number + 1, open addressing */
	size_t		 mask;
	signed char	*field;		/* the event field each is, or -1 */
};

/*
 * What a record's member of a given name is to a rule (struct rule's
 * klass, by the name's number): the event field it fills (an enum
 * efield), or one of these.
 */
#define K_USED		0x7d	/* a mapping takes it, or it is dropped */
#define K_ATTRS		0x7e	/* "attrs": merged when an object */
#define K_ATTR		0x7f	/* kept in attrs under its name */

/*
 * The JSON rules chosen by the value of one field, the one most of them
 * test with "== string" (index.c): only the rules whose test that value
 * passes, and those that do not test it, are tried, in their order.
 */
struct dispatch {
	struct ref	 key;		/* the field; key.path NULL: none */
	struct map	 lists;		/* value -> int list, -1 ended */
	int		*others;	/* the list for any other value */
	char		*values;	/* the values, back to back */
	int		**all;		/* every list, to free them */
	int		 nall;
};

struct ruleset {
	int		*multi;		/* the rules with a start pattern, in
					   order; nmulti of them */
	int		 nmulti;
	struct rule	*rules;		/* sorted: the order they are tried */
	int		 nrules;
	int		 ntext;		/* how many are text rules */
	struct lp_needle *needles;	/* the needles of the text rules that
					   have one (and no decoder), in the
					   order tried, tagged with the rule's
					   index: try_text looks for a line's
					   in one call */
	int		 nneedles;
	pcre2_match_data *md;		/* big enough for every pattern */
	pcre2_match_context *mctx;
	pcre2_jit_stack	*jstack;
	struct names	 names;
	struct dispatch	 disp;
};

#define RULESET_INIT { 0 }

/*
 * Parse rule text (name is the file name for messages) and add its rules
 * to rs.  On a syntax or compile error, errmsg gets "file:line: what" and
 * false is returned; rs keeps the rules added before.
 */
bool	ruleset_add_text(struct ruleset *rs, const char *name, const char *text,
	    size_t len, bool builtin, struct buf *errmsg);

/* Read a rule file and add it (see ruleset_add_text). */
bool	ruleset_add_file(struct ruleset *rs, const char *path,
	    struct buf *errmsg);

/*
 * Find a rule file given as -r ARG.  An ARG with a slash names a file
 * ("./my.rules"); a bare name is looked up as NAME.rules, then NAME, in
 * each directory of the rules path (rule_path), never in the current
 * directory.  Returns a malloc'd path or NULL.
 */
char	*rule_find(const char *arg);

/*
 * The rules path, colon-separated, into out: $LOGPROC_RULES, then the
 * rules installed beside the executable (../share/logproc/rules), a build
 * tree's rules/ (../../rules), and the directory compiled in (LP_RULEDIR).
 */
void	rule_path(struct buf *out);

/* Sort the rules into the order they are tried and set up match data. */
void	ruleset_finish(struct ruleset *rs);

/*
 * Multi-line records: the rule whose start pattern line[0..n) matches
 * (the first in order), or NULL; whether line continues a record of rule
 * r that has nlines so far.
 */
const struct rule *ruleset_starts(const struct ruleset *rs, const char *line,
	    size_t n);
bool	rule_continues(const struct ruleset *rs, const struct rule *r,
	    const char *line, size_t n, long nlines);

/* Whether rule r has a span decoder (decode.h). */
static inline bool
rule_spans(const struct rule *r)
{
	return r->decode >= DECODE_OTLP_TRACES;
}

/* Whether rule r drops the record field name[0..n) ("drop = ..."). */
bool	rule_drops(const struct rule *r, const char *name, size_t n);

/* Free everything rs holds; rs may be reused. */
void	ruleset_release(struct ruleset *rs);

/*
 * index.c: number the names the rules refer to, resolve their refs to
 * them, work out each rule's member classes and the dispatch of JSON
 * rules (called by ruleset_finish); free what that made.
 */
void	ruleset_index(struct ruleset *rs);
void	ruleset_index_release(struct ruleset *rs);

/* The number of name s[0..n) among the ruleset's names, or -1. */
int	names_lookup(const struct names *nm, const char *s, size_t n);

/*
 * The hash of a name, as names_lookup() uses it: of its length and its
 * first and last bytes, eight at a time (names are short, and told apart
 * by memcmp in the end).
 */
static inline uint32_t
names_hash(const char *s, size_t n)
{
	uint64_t	 a = 0, b = 0, h;
	uint32_t	 x, y;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		a = x;
		b = y;
	} else if (n > 0)
		a = (uint64_t)(unsigned char)s[0] |
		    (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	h = (a * 0x9e3779b97f4a7c15ULL) ^ (b * 0xc2b2ae3d27d4eb4fULL) ^ n;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/*
 * The JSON rules to try on a record whose dispatch field is the string
 * v[0..n) (v NULL: absent, or not a string): a list of indices into
 * rs->rules, -1 ended; NULL when there is no dispatch (try them all).
 */
const int *dispatch_rules(const struct ruleset *rs, const char *v, size_t n);

/*
 * Between the rule reader (rule.c) and the rule compiler (compile.c).
 */

/*
 * Set ref to the field reference s[0..n) ("a.b.c") written at line; no
 * group yet.
 */
void	ref_init(struct ref *ref, const char *s, size_t n, int line);

/* Note that a mapping or a drop takes ref's top-level field whole. */
void	add_used(struct rule *r, const struct ref *ref);

/*
 * Append the regular expression of the loghub header format s[0..n) to re
 * (lognorm-rules(5), "header").
 */
void	header_to_regex(const char *s, size_t n, struct buf *re);

/*
 * A text rule's plan (plan.c): how its event is written straight from the
 * captures, made once the rule is compiled when the rule can have one (a
 * text rule with no jq program and no decoder whose attributes have
 * distinct names), else NULL.  The plan points into r's mappings and
 * groups, which must outlive it.  plan_free accepts NULL.
 */
struct plan *plan_make(const struct rule *r);
void	plan_free(struct plan *pl);

/*
 * Compile rule r, whose keys have been read: pattern (NUL-terminated; NULL
 * for a JSON rule, defined at line pline), jq program, references.  On
 * error, err gets "file:line: what" and false is returned; r is then
 * released by the caller.
 */
bool	rule_compile(struct rule *r, const char *pattern, int pline,
	    struct buf *err);

#endif
