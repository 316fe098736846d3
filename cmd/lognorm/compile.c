/*
 * compile.c - compiling a rule once it has been read: its PCRE2 pattern
 * (JIT), the literal text a line must hold for the pattern to match, its
 * jq program, and its field references resolved to capture groups; see
 * rule.h.  Reading rule files is rule.c's part.
 */
#include <ctype.h>
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "lp.h"
#include "rule.h"

/* Report "file:line: what" for rule r into err; returns false. */
static bool
cerr(const struct rule *r, struct buf *err, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool
cerr(const struct rule *r, struct buf *err, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_reset(err);
	buf_addf(err, "%s:%d: %s", r->file, line, msg);
	return false;
}

/* Regular expression characters that are not literal on their own. */
#define RE_META		".^$|()[]{}*+?\\"

/*
 * The literal byte the regex text at s[0..e) starts with, if it is one
 * that must be there: a plain character or an escaped punctuation
 * character, not made optional by a quantifier after it.  Its length in
 * *len; -1 when it is anything else.
 */
static int
literal_at(const char *s, const char *e, size_t *len)
{
	int	 c;

	if (s < e && *s == '\\' && e - s >= 2 &&
	    !isalnum((unsigned char)s[1]) && s[1] != '\0')
		c = (unsigned char)s[1], *len = 2;
	else if (s < e && *s != '\0' && *s != ' ' && *s != '<' &&
	    strchr(RE_META, *s) == NULL)
		c = (unsigned char)*s, *len = 1;
	else
		return -1;
	if (s + *len < e && strchr("?*{", s[*len]) != NULL)
		return -1;
	return c;
}

/*
 * The characters one of which must come right after a field, when the
 * format s[0..e) after it says so plainly: a space (then any white space
 * ends the field), a literal character, or an optional group "(\[...)?"
 * that starts with one, followed by such (the Linux format's
 * "<Component>(\[<PID>\])?: ").  Adds them to set as a character class
 * body; false when it cannot tell (another field, the end, anything
 * else).
 */
static bool
field_stop(const char *s, const char *e, struct buf *set, int depth)
{
	const char	*q;
	size_t		 len;
	int		 c, level;

	if (s == e || depth > 4)
		return false;
	if (*s == ' ') {
		buf_adds(set, "\\s");
		return true;
	}
	if ((c = literal_at(s, e, &len)) >= 0) {
		buf_addf(set, "\\x{%02x}", c);
		return true;
	}
	if (*s != '(')
		return false;
	/* An optional group: its first literal, and what may follow it. */
	for (q = s + 1, level = 1; q < e && level > 0; q++) {
		if (*q == '\\' && q + 1 < e)
			q++;
		else if (*q == '[' || *q == '|')
			return false;	/* a class, an alternation: give up */
		else if (*q == '(')
			level++;
		else if (*q == ')')
			level--;
	}
	if (level != 0 || q == e || *q != '?' || (q + 1 < e && q[1] == '?'))
		return false;
	if (s[1] == '?') {
		if (e - s < 3 || s[2] != ':')
			return false;
		s += 2;
	}
	if ((c = literal_at(s + 1, q - 1, &len)) < 0)
		return false;
	buf_addf(set, "\\x{%02x}", c);
	return field_stop(q + 1, e, set, depth + 1);
}

/*
 * The loghub header short form: "<Name>" is a field, a run of spaces
 * becomes \s+, the rest is regex text as written; anchored, white space
 * allowed around.  loghub's own parsers make each field a lazy group
 * (?<Name>.*?); on a long line that does not match, such fields backtrack
 * into each other, polynomially in the line's words.  So a field that
 * must be followed by one of a few characters (field_stop) is read
 * possessively up to the first of them, (?<Name>[^set]*+): the same field
 * as the lazy group's whenever the rest of the line matches from there,
 * and a line that does not match fails in one pass.  The last field,
 * before the trailing white space, is (?<Name>.*\S|): the same text
 * as the lazy group, found without trying the end of the line at each of
 * its bytes.  A field before another field stays lazy.
 */
void
header_to_regex(const char *s, size_t n, struct buf *re)
{
	const char	*e = s + n, *gt;
	struct buf	 set = BUF_INIT;

	/* Leading and trailing white space is not part of any field, as
	 * loghub's own parsers strip each line first. */
	buf_adds(re, "^\\s*");
	while (s < e) {
		if (*s == '<' && (gt = memchr(s, '>', (size_t)(e - s))) != NULL) {
			buf_adds(re, "(?<");
			buf_add(re, s + 1, (size_t)(gt - s - 1));
			buf_reset(&set);
			if (field_stop(gt + 1, e, &set, 0))
				buf_addf(re, ">[^%s]*+)", set.p);
			else if (gt + 1 == e)
				/* the last field, before \s*$: what the lazy
				 * group takes (up to its last non-space), read
				 * to the end and back, not tried at each byte
				 * (an alternation rather than (?:...)?, whose
				 * ':' would count as literal text for the
				 * rule's specificity) */
				buf_adds(re, ">.*\\S|)");
			else
				buf_adds(re, ">.*?)");
			s = gt + 1;
		} else if (*s == ' ') {
			while (s < e && *s == ' ')
				s++;
			buf_adds(re, "\\s+");
		} else
			buf_addc(re, *s++);
	}
	buf_adds(re, "\\s*$");
	buf_release(&set);
}

/*
 * The longest run of literal text that every match of the pattern must
 * contain, for a memmem() test that spares the regex engine most lines
 * that cannot match.  The test must never change what matches, so this is
 * a conservative reading of the pattern that gives up - no needle - on
 * anything it does not understand: only literal characters outside every
 * group and class count, and not those a quantifier makes optional; an
 * escape other than an escaped punctuation character, \t \n \r \f \e \a,
 * or one of the one-letter classes and assertions (\d \s \w \b ...) (so
 * \x41, \101, \cA, \g1, \k<a>, \p{L}, \Q...), a POSIX class [[:digit:]],
 * an inline option (?i) (?x) or (?m-s), a verb (*UTF), a top-level
 * alternation, or a brace that is not a quantifier gives up.  Then PCRE2's own view is checked: a pattern
 * compiled caseless or extended gives up too.  Returns false when there
 * is no needle worth having (fewer than 3 bytes).
 */
static bool
pattern_needle(const char *p, const pcre2_code *re, struct buf *best)
{
	struct buf	 run = BUF_INIT;
	int		 depth = 0;
	uint32_t	 opts = 0;
	bool		 ok = true;
	char		 c;
	const char	*q;

	buf_reset(best);
	pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts);
	if (opts & (PCRE2_CASELESS | PCRE2_EXTENDED | PCRE2_EXTENDED_MORE |
	    PCRE2_LITERAL))
		return false;
#define FLUSH()	do {						\
	if (run.len > best->len) {					\
		buf_reset(best);					\
		buf_add(best, run.p, run.len);				\
	}								\
	buf_reset(&run);						\
} while (0)
#define LIT(ch)	do { if (depth == 0) buf_addc(&run, (ch)); } while (0)
	for (; *p != '\0' && ok; p++) {
		c = *p;
		if (c == '\\') {
			c = *++p;
			if (c == '\0') {
				ok = false;
			} else if (!isalnum((unsigned char)c)) {
				LIT(c);
			} else if (strchr("tnrfea", c) != NULL) {
				LIT(c == 't' ? '\t' : c == 'n' ? '\n' :
				    c == 'r' ? '\r' : c == 'f' ? '\f' :
				    c == 'e' ? '\033' : '\a');
			} else if (strchr("dDsSwWhHvVRbBAzZG", c) != NULL) {
				if (depth == 0)
					FLUSH();
			} else
				ok = false;
			continue;
		}
		if (c == '[') {
			/* a class: to its end, POSIX [:name:] and escapes
			 * inside; ']' first in it is literal */
			if (depth == 0)
				FLUSH();
			q = p + 1;
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			for (; *q != '\0' && *q != ']'; q++) {
				if (*q == '\\' && q[1] != '\0')
					q++;
				else if (*q == '[' && (q[1] == ':' ||
				    q[1] == '.' || q[1] == '='))
					break;	/* POSIX class, collating */
			}
			/* a POSIX class [:name:] inside: give up rather than
			 * tell it from a '[' that is only a member */
			if (*q != ']')
				ok = false;
			else
				p = q;
			continue;
		}
		if (c == '(') {
			if (p[1] == '*') {
				ok = false;	/* a verb: (*UTF), (*SKIP) */
				continue;
			}
			if (p[1] == '?') {
				q = p + 2;
				/* groups and assertions whose content is
				 * skipped; anything else (options, conditions,
				 * recursion, callouts, comments) gives up */
				if (!(*q == ':' || *q == '=' || *q == '!' ||
				    *q == '>' || *q == '|' ||
				    (*q == '<' && (q[1] == '=' || q[1] == '!' ||
				    isalpha((unsigned char)q[1]) || q[1] == '_')) ||
				    (*q == 'P' && q[1] == '<') || *q == '\''))
					ok = false;
			}
			if (depth == 0)
				FLUSH();
			depth++;
			continue;
		}
		if (c == ')') {
			if (--depth < 0)
				ok = false;
			/* a quantifier after a group does not touch the run */
			continue;
		}
		if (c == '|') {
			if (depth == 0)
				ok = false;
			continue;
		}
		if (depth > 0)
			continue;
		if (c == '?' || c == '*' || c == '{') {
			if (c == '{') {
				/* a quantifier {n}, {n,}, {n,m}, {,m}; else
				 * a literal brace: not understood */
				for (q = p + 1; isdigit((unsigned char)*q) ||
				    *q == ','; q++)
					;
				if (*q != '}' || q == p + 1) {
					ok = false;
					continue;
				}
				p = q;
			}
			/* the character before is optional: take it back */
			if (run.len > 0)
				run.len--;
			FLUSH();
			if (p[1] == '?' || p[1] == '+')
				p++;	/* lazy or possessive */
			continue;
		}
		if (c == '+' || c == '^' || c == '$' || c == '.') {
			FLUSH();
			continue;
		}
		buf_addc(&run, c);
	}
	if (depth != 0)
		ok = false;
	if (ok)
		FLUSH();
	else
		buf_reset(best);
#undef LIT
#undef FLUSH
	buf_release(&run);
	return ok && best->len >= 3;
}

/* Roughly how much literal text a pattern demands: the tie-breaker. */
static int
literal_chars(const char *p)
{
	int	 n = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\') {
			if (p[1] != '\0' && !isalnum((unsigned char)p[1]))
				n++;
			if (p[1] != '\0')
				p++;
		} else if (*p == '(' && p[1] == '?' && p[2] == '<' &&
		    p[3] != '=' && p[3] != '!') {
			while (*p != '\0' && *p != '>')
				p++;
			if (*p == '\0')
				break;
		} else if (strchr("()[]{}|*+?.^$", *p) == NULL)
			n++;
	}
	return n;
}

/*
 * Collect jq's compile messages as one line: libjq 1.6 formats each as
 * "jq: error: what at <top-level>, line N:\nPROGRAM TEXT", and ends with
 * "jq: N compile error(s)"; keep "what at ..., line N" of each.
 */
static void
jq_err_cb(void *data, jv msg)
{
	struct buf	*b = data;
	const char	*s, *nl;
	size_t		 n;

	msg = jq_format_error(msg);
	if (jv_get_kind(msg) == JV_KIND_STRING) {
		s = jv_string_value(msg);
		if (strncmp(s, "jq: error: ", 11) == 0)
			s += 11;
		else if (strncmp(s, "jq: ", 4) == 0)
			s += 4;
		n = (nl = strchr(s, '\n')) != NULL ? (size_t)(nl - s) : strlen(s);
		while (n > 0 && (s[n - 1] == ':' || s[n - 1] == ' '))
			n--;
		if (n > 0 && !(strstr(s, "compile error") != NULL &&
		    isdigit((unsigned char)*s))) {
			if (b->len > 0)
				buf_adds(b, "; ");
			buf_add(b, s, n);
		}
	}
	jv_free(msg);
}

/*
 * A text rule's references name capture groups: its predicates always
 * (they test the line's captures), its mappings unless a jq program
 * stands between (then they name the program's output fields).
 */
static bool
resolve_ref(struct rule *r, struct buf *err, struct ref *ref, bool is_pred)
{
	char		*head;
	int		 g;

	/* a decoded line's fields are members, as a JSON record's */
	if (!r->is_text || r->decode != DECODE_NONE ||
	    (r->jq != NULL && !is_pred))
		return true;
	head = xmemdup(ref->path, ref->len);
	g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)head);
	free(head);
	if (g < 0)
		return cerr(r, err, ref->line, "rule '%s': no capture group named '%s'",
		    r->name, ref->path);
	ref->group = g;
	return true;
}
/*
 * A text rule's group named like an event field fills that field unless a
 * mapping says otherwise, as a JSON record's same-named member does.
 */
static void
add_implicit(struct rule *r)
{
	bool	 set[EF_NFIELDS] = { false };
	int	 i, j, f;

	for (i = 0; i < r->nmaps; i++)
		if (r->maps[i].field >= 0)
			set[r->maps[i].field] = true;
	for (i = 0; i < r->ncaps; i++) {
		f = event_field_lookup(r->caps[i].name,
		    strlen(r->caps[i].name));
		if (f < 0 || set[f] || rule_drops(r, r->caps[i].name,
		    strlen(r->caps[i].name)))
			continue;
		j = r->nmaps++;
		r->maps = xreallocarray(r->maps, (size_t)r->nmaps,
		    sizeof(*r->maps));
		memset(&r->maps[j], 0, sizeof(r->maps[j]));
		r->maps[j].field = f;
		r->maps[j].val.kind = VAL_REF;
		ref_init(&r->maps[j].val.ref, r->caps[i].name,
		    strlen(r->caps[i].name), r->line);
		set[f] = true;
	}
}

/*
 * Whether the attributes text rule r can make have distinct names: its
 * groups that no mapping takes, its attrs mappings, and what lognorm
 * adds (timestamp_raw, status, template_id, template).  Then they are
 * appended without looking for the name among those before.
 */
static bool
attrs_distinct(const struct rule *r)
{
	const char	**names;
	int		 n = 0, i, j;
	bool		 ok = true;

	names = xcalloc((size_t)r->ncaps + (size_t)r->nmaps + 4,
	    sizeof(*names));
	names[n++] = "timestamp_raw";
	names[n++] = "status";
	names[n++] = "template_id";
	names[n++] = "template";
	for (i = 0; i < r->ncaps; i++)
		if (!r->caps[i].used)
			names[n++] = r->caps[i].name;
	for (i = 0; i < r->nmaps; i++)
		if (r->maps[i].field < 0)
			names[n++] = r->maps[i].attr;
	for (i = 0; i < n && ok; i++)
		for (j = i + 1; j < n && ok; j++)
			ok = strcmp(names[i], names[j]) != 0;
	free(names);
	return ok;
}

/* A start or continue pattern: compiled, JIT when possible. */
static bool
compile_line_pattern(struct rule *r, struct buf *err, const char *src,
    int line, pcre2_code **re)
{
	int		 errcode;
	PCRE2_SIZE	 erroff;
	PCRE2_UCHAR	 msg[256];

	*re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, 0,
	    &errcode, &erroff, NULL);
	if (*re == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return cerr(r, err, line, "rule '%s': bad pattern at offset "
		    "%zu: %s", r->name, (size_t)erroff, (char *)msg);
	}
	(void)pcre2_jit_compile(*re, PCRE2_JIT_COMPLETE);
	return true;
}

void
aname_set(struct aname *an, const char *name)
{
	struct buf	 k = BUF_INIT;

	an->n = strlen(name);
	an->s = xmemdup(name, an->n);
	jw_str(&k, name, an->n);
	buf_addc(&k, ':');
	an->key = buf_detach(&k, &an->keylen);
}

void
aname_free(struct aname *an)
{
	free((char *)an->s);
	free((char *)an->key);
	memset(an, 0, sizeof(*an));
}

/* Compile what the keys collected: the pattern first, refs against it. */
bool
rule_compile(struct rule *r, const char *pattern, int pline, struct buf *err)
{
	struct buf	 jqerr = BUF_INIT;
	int		 errcode, i, j;
	PCRE2_SIZE	 erroff;
	PCRE2_UCHAR	 msg[256];
	uint32_t	 count, esize;
	PCRE2_SPTR	 table;

	{
		struct buf jn = BUF_INIT;
		jw_cstr(&jn, r->name);
		r->jname = buf_detach(&jn, &r->jnamelen);
	}
	if (pattern != NULL) {
		r->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
		    0, &errcode, &erroff, NULL);
		if (r->re == NULL) {
			pcre2_get_error_message(errcode, msg, sizeof(msg));
			return cerr(r, err, pline, "rule '%s': bad pattern at offset "
			    "%zu: %s", r->name, (size_t)erroff, (char *)msg);
		}
		/* JIT is an optimisation: the interpreter still works. */
		r->jit = pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE) == 0;
		{
			struct buf nb = BUF_INIT;
			if (pattern_needle(pattern, r->re, &nb)) {
				r->needle = buf_detach(&nb, &r->needlelen);
				lp_rare_pair(r->needle, r->needlelen,
				    &r->rare1, &r->rare2);
			}
			buf_release(&nb);
		}
		r->specificity = literal_chars(pattern);
		pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &count);
		pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &esize);
		pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &table);
		r->caps = xcalloc(count, sizeof(*r->caps));
		for (i = 0; i < (int)count; i++, table += esize) {
			r->caps[i].group = table[0] << 8 | table[1];
			r->caps[i].name = xmemdup((const char *)table + 2,
			    strlen((const char *)table + 2));
		}
		r->ncaps = (int)count;
		/* The name table is sorted by name: put them in group order. */
		for (i = 1; i < r->ncaps; i++)
			for (j = i; j > 0 &&
			    r->caps[j - 1].group > r->caps[j].group; j--) {
				struct capname t = r->caps[j];
				r->caps[j] = r->caps[j - 1];
				r->caps[j - 1] = t;
			}
	} else
		r->specificity = r->npreds;
	if (r->startsrc == NULL && (r->contsrc != NULL ||
	    r->max_lines != RULE_MAX_LINES))
		return cerr(r, err, r->contsrc ? r->contline : r->line,
		    "rule '%s': continue and max_lines are for a rule with "
		    "a start pattern", r->name);
	if (r->startsrc != NULL && (!r->is_text || r->decode != DECODE_NONE))
		return cerr(r, err, r->startline, "rule '%s': start is for "
		    "text rules (text or header)", r->name);
	if (r->startsrc != NULL && !compile_line_pattern(r, err,
	    r->startsrc, r->startline, &r->start))
		return false;
	if (r->contsrc != NULL && !compile_line_pattern(r, err,
	    r->contsrc, r->contline, &r->cont))
		return false;
	if (r->jqsrc != NULL && rule_spans(r))
		return cerr(r, err, r->jqline, "rule '%s': a span decoder "
		    "makes the rule's outputs itself: no jq program", r->name);
	if (r->jqsrc != NULL) {
		r->jq = jq_init();
		if (r->jq == NULL)
			errx(LP_EXIT_FAIL, "jq_init failed");
		jq_set_error_cb(r->jq, jq_err_cb, &jqerr);
		if (!jq_compile(r->jq, r->jqsrc)) {
			cerr(r, err, r->jqline, "rule '%s': jq: %s", r->name,
			    jqerr.len ? jqerr.p : "compile error");
			buf_release(&jqerr);
			return false;
		}
		buf_release(&jqerr);
		jq_set_error_cb(r->jq, NULL, NULL);
	}
	for (i = 0; i < r->npreds; i++)
		if (!resolve_ref(r, err, &r->preds[i].ref, true))
			return false;
	if (r->is_text && r->jq == NULL)
		add_implicit(r);
	for (i = 0; i < EF_NFIELDS; i++)
		r->mapped[i] = -1;
	for (i = 0; i < r->nmaps; i++) {
		struct value *v = &r->maps[i].val;
		if (r->maps[i].field >= 0) {
			r->mapped[r->maps[i].field] = i;
			r->mapmask |= 1u << r->maps[i].field;
		}
		if (v->kind == VAL_REF) {
			if (!resolve_ref(r, err, &v->ref, false))
				return false;
			add_used(r, &v->ref);
		}
		for (j = 0; v->kind == VAL_TEMPLATE && j < v->npieces; j++)
			if (v->pieces[j].lit == NULL) {
				if (!resolve_ref(r, err, &v->pieces[j].ref, false))
					return false;
				add_used(r, &v->pieces[j].ref);
			}
	}
	for (i = 0; i < r->ncaps; i++)
		for (j = 0; j < r->nused; j++)
			if (strcmp(r->caps[i].name, r->used[j]) == 0)
				r->caps[i].used = true;
	for (i = 0; i < r->nmaps; i++)
		if (r->maps[i].field < 0) {
			r->nattrmaps++;
			aname_set(&r->maps[i].an, r->maps[i].attr);
		}
	for (i = 0; i < r->ncaps; i++)
		aname_set(&r->caps[i].an, r->caps[i].name);
	r->attrs_unique = r->is_text && r->decode == DECODE_NONE &&
	    r->jq == NULL && attrs_distinct(r);
	r->plan = plan_make(r);
	return true;
}
