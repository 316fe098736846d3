/*
 * norm.c - applying rules to raw records; see norm.h.
 *
 * Which rule: a kcat envelope is unwrapped; a JSON record is offered to
 * the JSON rules (tokenized once, predicates tested against the tokens),
 * then every record to the text rules (a memmem test of the literal text
 * a pattern needs, then one JIT match per rule tried).  fields.c makes the
 * event, program.c runs a rule's jq program.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fields.h"
#include "jw.h"
#include "logfmt.h"
#include "lp.h"
#include "norm.h"

void
norm_init(struct norm *n, const struct ruleset *rs, const struct ts_opts *ts,
    struct tmpl *tmpl, struct reject *rej)
{
	memset(n, 0, sizeof(*n));
	n->rs = rs;
	if (ts != NULL)
		n->ts = *ts;
	n->tmpl = tmpl;
	n->rej = rej;
	n->index = -1;
	n->hit_records = xcalloc((size_t)rs->nrules + 1,
	    sizeof(*n->hit_records));
	n->hit_events = xcalloc((size_t)rs->nrules + 1,
	    sizeof(*n->hit_events));
}

void
norm_release(struct norm *n)
{
	int	 i;

	jdoc_release(&n->doc);
	jdoc_release(&n->jqdoc);
	jdoc_release(&n->envdoc);
	jdoc_release(&n->decdoc);
	buf_release(&n->decoded);
	attrs_release(&n->attrs);
	buf_release(&n->heldtext);
	free(n->held);
	buf_release(&n->keytmp);
	buf_release(&n->keyname);
	buf_release(&n->srcidx);
	buf_release(&n->source);
	buf_release(&n->srcfile);
	buf_release(&n->failed);
	buf_release(&n->payload);
	buf_release(&n->tmp);
	buf_release(&n->jqtext);
	buf_release(&n->msg);
	dec_free(n->dec);
	keyidx_release(&n->kx);
	shapes_release(n);
	free(n->hit_records);
	free(n->hit_events);
	buf_release(&n->contmsg);
	for (i = 0; i < EF_NFIELDS; i++)
		buf_release(&n->field[i]);
}

/* Apply rule r to rc: returns events written, -1 with reason in n->tmp. */
static int
apply(struct norm *n, struct rec *rc, const char *rec, size_t len,
    struct buf *out)
{
	if (rule_spans(rc->r))
		return decode_run(n, rc, rec, len, out);
	if (rc->r->jq != NULL)
		return program_run(n, rc, rec, len, out);
	if (rc->r->plan != NULL && rc->doc == NULL && n->cont == NULL &&
	    n->index < 0)
		return plan_emit(n, rc, out) ? 1 : -1;
	return emit(n, rc, out) ? 1 : -1;
}

static void	fallen(struct norm *, struct buf *, size_t,
		    const struct rule *);

/*
 * Try the text rules on rec.  Returns events written, 0 if none matched,
 * -1 if the matching rule failed (reason in n->tmp).
 */
static int
try_text(struct norm *n, const char *rec, size_t len, struct buf *out)
{
	const struct ruleset *rs = n->rs;
	struct rec	 rc, dc;
	int		 i, rv;
	bool		 plain_known = false;
	/* The rules with a needle are rs->needles, in order: m of them
	 * passed.  rs->needles[found] is the first of rs->needles[m..] in
	 * the line (nneedles: none is; -1: not looked for yet): one call
	 * for the needles of the rules the line is not, and another only
	 * after a rule whose needle was there did not take it. */
	int		 m = 0, found = -1;

	size_t		 mark = out->len;

	memset(&rc, 0, sizeof(rc));
	rc.text = rec;
	rc.from_text = true;
	rc.ov = pcre2_get_ovector_pointer(rs->md);
	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		if (!r->is_text)
			continue;
		if (r->decode != DECODE_NONE) {
			/* a line decoded natively: its pairs are the record,
			 * read as a JSON object's members */
			if (!logfmt_decode(rec, len, &n->decoded, &n->tmp) ||
			    !jdoc_parse(&n->decdoc, n->decoded.p,
			    n->decoded.len)) {
				if (n->explain != NULL)
					explain_rule(n, r, "not logfmt");
				continue;
			}
			memset(&dc, 0, sizeof(dc));
			dc.r = r;
			dc.doc = &n->decdoc;
			dc.kx = &n->kx;
			keyidx_build(&n->kx, &rs->names, &n->decdoc, 0);
			if (!preds_hold(n, &dc))
				continue;
			if ((rv = apply(n, &dc, n->decoded.p, n->decoded.len,
			    out)) > 0) {
				n->taken = i;
				return rv;
			}
			fallen(n, out, mark, r);
			continue;
		}
		if (r->needle != NULL && found < m) {
			found = m + lp_memmem_first(rec, len, rs->needles + m,
			    rs->nneedles - m);
			if (found > m && rs->nneedles == rs->ntext &&
			    n->explain == NULL) {
				/* Every text rule has a needle: the rules up
				 * to the found one's are not the line's, and
				 * nothing need be said of them. */
				if (found == rs->nneedles)
					break;
				i = rs->needles[found].tag;
				r = &rs->rules[i];
				m = found;
			}
		}
		if (r->needle != NULL && found != m++) {
			if (n->explain != NULL) {
				struct buf q = BUF_INIT;
				jw_str(&q, r->needle, r->needlelen);
				explain_rule(n, r, "the literal text %s it needs "
				    "is not in the line", q.p);
				buf_release(&q);
			}
			continue;
		}
		/* the rule's own limits: two stores, no allocation */
		pcre2_set_match_limit(rs->mctx, r->match_limit);
		pcre2_set_depth_limit(rs->mctx, r->depth_limit);
		if (r->jit)
			rv = pcre2_jit_match(r->re, (PCRE2_SPTR)rec, len, 0, 0,
			    rs->md, rs->mctx);
		else
			rv = pcre2_match(r->re, (PCRE2_SPTR)rec, len, 0, 0,
			    rs->md, rs->mctx);
		if (rv == PCRE2_ERROR_NOMATCH) {
			if (n->explain != NULL)
				explain_rule(n, r, "pattern does not match");
			continue;
		}
		if (rv < 0) {
			/* Not "no": "could not tell" (a JIT stack or match
			 * limit on a huge line).  Say so if nothing matches. */
			PCRE2_UCHAR msg[128];
			pcre2_get_error_message(rv, msg, sizeof(msg));
			buf_reset(&n->tmp);
			buf_addf(&n->tmp, "match error: rule '%s': %s", r->name,
			    (char *)msg);
			fallen(n, out, mark, r);
			continue;
		}
		rc.r = r;
		rc.ovn = (uint32_t)rv;
		if (!plain_known) {
			/* once per line, for the captures of any rule */
			rc.plain = jw_plain(rec, len);
			plain_known = true;
		}
		if (!preds_hold(n, &rc))
			continue;
		if ((rv = apply(n, &rc, rec, len, out)) > 0) {
			n->taken = i;
			return rv;
		}
		fallen(n, out, mark, r);
	}
	return n->failed.len > 0 ? -1 : 0;
}

/*
 * A rule matched but failed to map the record (reason in n->tmp): take
 * back what it wrote and remember the first such reason, in case no later
 * rule does better.
 */
static void
fallen(struct norm *n, struct buf *out, size_t mark, const struct rule *r)
{
	if (n->explain != NULL)
		explain_rule(n, r, "did not take it: %s", n->tmp.p);
	out->len = mark;
	if (out->p != NULL)
		out->p[mark] = '\0';
	if (n->failed.len == 0)
		buf_add(&n->failed, n->tmp.p, n->tmp.len);
}

/* Whether the object at the root is a kcat -J envelope. */
static bool
is_envelope(const struct jdoc *d)
{
	/* kcat -J writes "topic" first: a cheap test before the lookups. */
	return d->t[0].type == J_OBJECT && d->t[0].count >= 3 &&
	    d->t[1].end - d->t[1].start == 7 &&
	    memcmp(d->src + d->t[1].start, "\"topic\"", 7) == 0 &&
	    get_last(d, 0, "payload", 7) >= 0 &&
	    get_last(d, 0, "topic", 5) >= 0 && get_last(d, 0, "offset", 6) >= 0;
}

static void
source_put(struct buf *s, const struct jdoc *d, const char *key)
{
	int	 t = get_last(d, 0, key, strlen(key));

	if (s->len > 0)
		buf_addc(s, ',');
	jw_key(s, key);
	if (t >= 0)
		jdoc_write(d, t, s);
	else
		jw_null(s);
}

static int
normalize(struct norm *n, const char *rec, size_t len, struct buf *out,
    bool inner, const char **why);

/* Unwrap a kcat envelope (in n->doc) and normalize its payload. */
static int
unwrap(struct norm *n, struct buf *out, const char **why)
{
	const struct jdoc *d = &n->doc;
	int		 t = get_last(d, 0, "payload", 7);
	const char	*p;
	size_t		 len;

	buf_reset(&n->source);
	n->src_file = false;
	source_put(&n->source, d, "topic");
	source_put(&n->source, d, "partition");
	source_put(&n->source, d, "offset");
	source_put(&n->source, d, "key");
	if (get_last(d, 0, "ts", 2) >= 0)
		source_put(&n->source, d, "ts");
	switch (d->t[t].type) {
	case J_STRING:
		break;
	case J_NULL:
		*why = "empty payload: kafka message without a payload";
		return -1;
	case J_NUMBER:
		*why = "bad payload: a number, not a string";
		return -1;
	case J_OBJECT:
		*why = "bad payload: an object, not a string";
		return -1;
	case J_ARRAY:
		*why = "bad payload: an array, not a string";
		return -1;
	default:
		*why = "bad payload: a boolean, not a string";
		return -1;
	}
	jdoc_str(d, t, &n->tmp, &p, &len);
	buf_reset(&n->payload);
	buf_add(&n->payload, p, len);
	if (n->payload.p == NULL)
		buf_grow(&n->payload, 0);
	return normalize(n, n->payload.p, n->payload.len, out, true, why);
}

/*
 * The JSON rules that may take the record rc (indexed): those its value
 * of the dispatch field can pass (index.c), or NULL for all of them.
 */
static const int *
json_rules(struct norm *n, const struct rec *rc)
{
	const struct ruleset *rs = n->rs;
	struct val	 v;
	const char	*p;
	size_t		 len;
	struct dispmemo	*d;
	int		 i;

	if (rs->disp.key.path == NULL)
		return NULL;
	if (rs->disp.key.id > 0 && rs->disp.key.headlen == rs->disp.key.len &&
	    rc->kx != NULL && rc->kx->doc == rc->doc &&
	    rc->kx->root == rc->root && rc->kx->src == rc->doc->src) {
		/* a top-level member of the record indexed: rec_get()'s
		 * reading, without the call */
		v.tok = rc->kx->stamp[rs->disp.key.id - 1] == rc->kx->gen ?
		    rc->kx->val[rs->disp.key.id - 1] : -1;
		v.kind = v.tok >= 0 && rc->doc->t[v.tok].type != J_NULL ?
		    V_TOK : V_NONE;
	} else
		rec_get(rc, &rs->disp.key, &v);
	if (v.kind != V_TOK || rc->doc->t[v.tok].type != J_STRING)
		return dispatch_rules(rs, NULL, 0);
	if (!(rc->doc->t[v.tok].flags & JT_ESCAPED)) {
		/* jdoc_str()'s common case */
		p = rc->doc->src + rc->doc->t[v.tok].start + 1;
		len = rc->doc->t[v.tok].end - rc->doc->t[v.tok].start - 2;
	} else
		jdoc_str(rc->doc, v.tok, &n->keytmp, &p, &len);
	/* A log mixes a few systems: the last values seen, compared, are
	 * cheaper than hashing the value for the map. */
	for (i = 0; i < NDISP; i++)
		if (n->disp[i].list != NULL && n->disp[i].len == len &&
		    json_name_eq(n->disp[i].val, p, len))
			return n->disp[i].list;
	if (len > sizeof(n->disp[0].val))
		return dispatch_rules(rs, p, len);
	d = &n->disp[n->dispnext];
	n->dispnext = (n->dispnext + 1) % NDISP;
	memcpy(d->val, p, len);
	d->len = len;
	return d->list = dispatch_rules(rs, p, len);
}

/*
 * Whether s[0..n), which starts with '[', may be a JSON array: its next
 * byte past JSON's white space can begin a value or end the array.  A
 * text line that starts with "[ERROR]" cannot.
 */
static bool
may_be_array(const char *s, size_t n)
{
	size_t	 i;

	for (i = 1; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'); i++)
		;
	if (i == n)
		return true;
	switch (s[i]) {
	case '"': case '{': case '[': case ']': case '-': case 't': case 'f':
	case 'n': case '\0':	/* (as strchr() found the string's end) */
		return true;
	default:
		return s[i] >= '0' && s[i] <= '9';
	}
}

/*
 * Find the rule for rec and apply it.  Returns events written, or -1 with
 * the reason in *why (static) or, when *why is NULL, in n->tmp.
 */
static int
normalize(struct norm *n, const char *rec, size_t len, struct buf *out,
    bool inner, const char **why)
{
	const struct ruleset *rs = n->rs;
	struct rec	 rc;
	size_t		 i, mark = out->len;
	int		 k, rv;
	bool		 json = false, parsed = false;

	*why = NULL;
	buf_reset(&n->failed);
	/* (in the C locale, lp_init()'s, a byte past the space is none) */
	for (i = 0; i < len && (unsigned char)rec[i] <= ' ' &&
	    isspace((unsigned char)rec[i]); i++)
		;
	if (i == len) {
		*why = "empty line";
		return -1;
	}
	/* A line that starts with '[' (an Apache log's, "[ERROR] ...") is
	 * parsed first only if a JSON rule may take it, or to say why none
	 * did (after the text rules). */
	if (rec[i] == '{' || (rec[i] == '[' && (n->explain != NULL ||
	    (rs->ntext < rs->nrules && may_be_array(rec + i, len - i))))) {
		parsed = true;
		json = jdoc_parse(&n->doc, rec, len);
		if (json && !inner && is_envelope(&n->doc)) {
			if (n->explain != NULL)
				fprintf(n->explain, "  (a kcat envelope: its "
				    "payload is the record)\n");
			return unwrap(n, out, why);
		}
		if (json) {
			const int *list;
			memset(&rc, 0, sizeof(rc));
			rc.doc = &n->doc;
			rc.kx = &n->kx;
			shape_index(n, &n->doc);
			/* (explained, every rule is tried and told) */
			list = n->explain != NULL ? NULL : json_rules(n, &rc);
			rc.dispatched = list != NULL;
			for (k = list ? *list++ : 0; k >= 0 && k < rs->nrules;
			    k = list ? *list++ : k + 1) {
				rc.r = &rs->rules[k];
				if (rc.r->is_text)
					continue;
				if (rc.r->jq == NULL && !rule_spans(rc.r) &&
				    n->doc.t[0].type != J_OBJECT) {
					if (n->explain != NULL)
						explain_rule(n, rc.r, "takes "
						    "objects, not arrays");
					continue;
				}
				if (!preds_hold(n, &rc))
					continue;
				if ((rv = apply(n, &rc, rec, len, out)) > 0) {
					n->taken = k;
					return rv;
				}
				fallen(n, out, mark, rc.r);
			}
		} else if (n->explain != NULL)
			fprintf(n->explain, "  (not JSON: %s at byte %zu)\n",
			    n->doc.err, n->doc.errpos + 1);
	}
	if (rs->ntext > 0 && (rv = try_text(n, rec, len, out)) > 0)
		return rv;
	if (rec[i] == '[' && !parsed && n->failed.len == 0)
		json = jdoc_parse(&n->doc, rec, len);
	if (n->failed.len > 0) {
		/* A rule matched but could not map it: say why. */
		buf_reset(&n->tmp);
		buf_add(&n->tmp, n->failed.p, n->failed.len);
		return -1;
	}
	if (rec[i] == '{' && !json) {
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "invalid JSON: %s at byte %zu", n->doc.err,
		    n->doc.errpos + 1);
		return -1;
	}
	if (rec[i] == '[' && !json && n->doc.errpos > i + 1) {
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "invalid JSON: %s at byte %zu", n->doc.err,
		    n->doc.errpos + 1);
		return -1;
	}
	*why = json ? "no rule matched: JSON record" : "no rule matched";
	return -1;
}

/*
 * n->lineno: line in decimal.  Records come line after line: the number
 * before, plus one, is its digits incremented in place.
 */
static void
line_text(struct norm *n, long line)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	if (line == n->lastline + 1 && n->linelen > 0 && line > 0) {
		n->lastline = line;
		for (i = n->linelen; i > 0 && n->lineno[i - 1] == '9'; i--)
			n->lineno[i - 1] = '0';
		if (i > 0) {
			n->lineno[i - 1]++;
			return;
		}
		/* 99 -> 100 */
		memmove(n->lineno + 1, n->lineno, n->linelen++);
		n->lineno[0] = '1';
		return;
	}
	jw_int(&b, line);
	memcpy(n->lineno, b.p, b.len);
	n->linelen = b.len;
	n->lastline = line;
	buf_release(&b);
}

int
norm_record(struct norm *n, const char *input, long line, char *rec,
    size_t len, struct buf *out)
{
	size_t		 mark = out->len;
	const char	*why;
	int		 rv;

	/* The source of a line: the file's part is made once per input. */
	if (input != n->lastinput) {
		buf_reset(&n->srcfile);
		jw_key(&n->srcfile, "file");
		jw_cstr(&n->srcfile, input);
		buf_addlit(&n->srcfile, ",\"line\":");
		n->lastinput = input;
		n->src_file = false;
	}
	/* and is kept in the source, record after record, before the
	 * line's number (unless a kcat envelope's source replaced it) */
	if (n->src_file)
		n->source.len = n->srcfile.len;
	else {
		buf_reset(&n->source);
		buf_add(&n->source, n->srcfile.p, n->srcfile.len);
		n->src_file = true;
	}
	line_text(n, line);
	buf_add(&n->source, n->lineno, n->linelen);
	n->input = input;
	n->line = line;
	if (n->explain != NULL)
		explain_record(n, rec, len);
	/* of a multi-line record, the rules read the first line */
	rv = normalize(n, rec, n->cont != NULL ? n->firstlen : len, out, false,
	    &why);
	if (n->explain != NULL)
		explain_end(n, rv, why != NULL ? why : n->tmp.p);
	if (rv > 0) {
		n->records++;
		n->events += (unsigned long)rv;
		n->hit_records[n->taken]++;
		n->hit_events[n->taken] += (unsigned long)rv;
		return rv;
	}
	/* Events already written for a record that failed are taken back. */
	out->len = mark;
	if (out->p != NULL)
		out->p[mark] = '\0';
	reject_add(n->rej, input, line, rec, len, "%s",
	    why != NULL ? why : n->tmp.p);
	return 0;
}
