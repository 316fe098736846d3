/*
 * norm.c - applying rules to raw records; see norm.h.
 *
 * The hot path for a JSON line is: tokenize once (json.c), test the rules'
 * predicates against the tokens, then one pass over the object's members
 * that sorts each into an event field, an attribute, or nothing.  For a text
 * line it is one JIT match per rule tried.  No jv value is built unless the
 * rule has a jq program.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jw.h"
#include "lp.h"
#include "norm.h"

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

static const char *const success_words[] = {
	"SUCCESS", "SUCCEEDED", "SUCCESSFUL", "OK", "PASS", "PASSED", "TRUE",
	"STATUS_CODE_OK", "STATUS_CODE_UNSET", "UNSET", "DONE", "COMPLETED", NULL
};
static const char *const failure_words[] = {
	"FAILURE", "FAILED", "FAIL", "ERROR", "ERR", "FATAL", "FALSE",
	"CRITICAL", "STATUS_CODE_ERROR", "ABORTED", "TIMEOUT", NULL
};

void
norm_init(struct norm *n, const struct ruleset *rs, const struct ts_opts *ts,
    const struct tmpl *tmpl, struct reject *rej)
{
	memset(n, 0, sizeof(*n));
	n->rs = rs;
	if (ts != NULL)
		n->ts = *ts;
	n->tmpl = tmpl;
	n->rej = rej;
	n->index = -1;
}

void
norm_release(struct norm *n)
{
	int	 i;

	jdoc_release(&n->doc);
	jdoc_release(&n->jqdoc);
	jdoc_release(&n->envdoc);
	attrs_release(&n->attrs);
	buf_release(&n->keytmp);
	buf_release(&n->srcidx);
	buf_release(&n->source);
	buf_release(&n->srcfile);
	buf_release(&n->failed);
	buf_release(&n->payload);
	buf_release(&n->tmp);
	buf_release(&n->jqtext);
	buf_release(&n->msg);
	for (i = 0; i < EF_NFIELDS; i++)
		buf_release(&n->field[i]);
}

static void
rec_get(const struct rec *rc, const struct ref *ref, struct val *v)
{
	int	 g;

	v->kind = V_NONE;
	if (rc->doc != NULL) {
		v->tok = jdoc_path(rc->doc, rc->root, ref->path, ref->len);
		if (v->tok >= 0 && rc->doc->t[v->tok].type != J_NULL)
			v->kind = V_TOK;
		return;
	}
	g = ref->group;
	if (g < 0 || (uint32_t)g >= rc->ovn || rc->ov[2 * g] == PCRE2_UNSET)
		return;
	v->p = rc->text + rc->ov[2 * g];
	v->n = rc->ov[2 * g + 1] - rc->ov[2 * g];
	if (rc->from_text && v->n == 4 && memcmp(v->p, "null", 4) == 0)
		return;
	v->kind = V_BYTES;
}

/*
 * The value as text: strings unescaped, numbers and literals as written,
 * containers as compact JSON.  scratch may be used.  False if absent.
 */
static bool
val_text(const struct rec *rc, const struct val *v, struct buf *scratch,
    const char **p, size_t *len)
{
	const struct jtok *t;

	switch (v->kind) {
	case V_BYTES:
		*p = v->p;
		*len = v->n;
		return true;
	case V_TOK:
		t = &rc->doc->t[v->tok];
		if (t->type == J_STRING)
			jdoc_str(rc->doc, v->tok, scratch, p, len);
		else if (t->type == J_ARRAY || t->type == J_OBJECT) {
			buf_reset(scratch);
			jdoc_write(rc->doc, v->tok, scratch);
			*p = scratch->p;
			*len = scratch->len;
		} else {
			*p = rc->doc->src + t->start;
			*len = t->end - t->start;
		}
		return true;
	default:
		return false;
	}
}

/* Evaluate a mapping's value for rc; templates are built in scratch. */
static void
eval_value(struct norm *n, const struct rec *rc, const struct value *val,
    struct buf *scratch, struct val *v)
{
	const char	*p;
	size_t		 len;
	struct val	 pv;
	int		 i;

	v->kind = V_NONE;
	switch (val->kind) {
	case VAL_NULL:
		break;
	case VAL_CONST:
		v->kind = V_BYTES;
		v->p = val->str;
		v->n = val->len;
		break;
	case VAL_REF:
		rec_get(rc, &val->ref, v);
		break;
	case VAL_TEMPLATE:
		buf_reset(scratch);
		for (i = 0; i < val->npieces; i++) {
			if (val->pieces[i].lit != NULL) {
				buf_add(scratch, val->pieces[i].lit,
				    val->pieces[i].litlen);
				continue;
			}
			rec_get(rc, &val->pieces[i].ref, &pv);
			if (val_text(rc, &pv, &n->tmp, &p, &len))
				buf_add(scratch, p, len);
		}
		v->kind = V_BYTES;
		v->p = scratch->p ? scratch->p : "";
		v->n = scratch->len;
		break;
	}
}

static bool
pred_holds(const struct rec *rc, const struct pred *pr, struct buf *scratch)
{
	struct val	 v;
	const char	*p;
	size_t		 len;
	const struct jtok *t;
	bool		 eq = false;

	rec_get(rc, &pr->ref, &v);
	switch (pr->op) {
	case PRED_PRESENT:
		return v.kind != V_NONE;
	case PRED_ABSENT:
		return v.kind == V_NONE;
	default:
		break;
	}
	if (v.kind == V_BYTES)
		eq = v.n == pr->len && memcmp(v.p, pr->str, pr->len) == 0;
	else if (v.kind == V_TOK) {
		t = &rc->doc->t[v.tok];
		if (pr->is_string) {
			if (t->type == J_STRING) {
				val_text(rc, &v, scratch, &p, &len);
				eq = len == pr->len &&
				    memcmp(p, pr->str, len) == 0;
			}
		} else if (t->type == J_NUMBER && pr->json[0] != 't' &&
		    pr->json[0] != 'f' && pr->json[0] != 'n')
			eq = jdoc_num(rc->doc, v.tok) == strtod(pr->json, NULL);
		else
			eq = t->end - t->start == pr->jsonlen &&
			    memcmp(rc->doc->src + t->start, pr->json,
			    pr->jsonlen) == 0;
	} else if (pr->json != NULL && strcmp(pr->json, "null") == 0)
		eq = true;
	return pr->op == PRED_EQ ? eq : !eq;
}

/*
 * Put name = v into the attrs under construction (attrs.h: of a name set
 * twice the last value is kept, once).  The record's own members come
 * first, then explicit mappings, then normalization's notes.  keytok, when
 * not -1, is the member's key token, whose name is unescaped first.
 */
static void
attr_put(struct norm *n, const struct rec *rc, const char *name, size_t nl,
    int keytok, const struct val *v)
{
	struct buf	*a;
	const char	*p;
	size_t		 len;

	if (keytok >= 0 && (rc->doc->t[keytok].flags & JT_ESCAPED))
		jdoc_str(rc->doc, keytok, &n->keytmp, &name, &nl);
	a = attrs_begin(&n->attrs, name, nl);
	if (v->kind == V_TOK)
		jdoc_write(rc->doc, v->tok, a);
	else if (v->kind == V_BYTES)
		jw_str(a, v->p, v->n);
	else
		jw_null(a);
	attrs_end(&n->attrs);
	/* The message is what templates classify. */
	if (nl == 7 && memcmp(name, "message", 7) == 0 &&
	    val_text(rc, v, &n->tmp, &p, &len)) {
		buf_reset(&n->msg);
		buf_add(&n->msg, p, len);
	}
}

static bool
is_used(const struct rule *r, const char *key, size_t kl)
{
	int	 i;

	for (i = 0; i < r->nused; i++)
		if (r->usedlen[i] == kl && memcmp(r->used[i], key, kl) == 0)
			return true;
	return false;
}

static bool
word_in(const char *p, size_t len, const char *const *words)
{
	int	 c = toupper((unsigned char)p[0]);

	for (; *words != NULL; words++)
		if ((*words)[0] == c && strlen(*words) == len &&
		    strncasecmp(p, *words, len) == 0)
			return true;
	return false;
}

/*
 * Fill field f of ev from v, normalizing it.  Returns false with the reason
 * in n->tmp when the value cannot be used.
 */
static bool
set_field(struct norm *n, const struct rec *rc, struct event *ev, int f,
    const struct val *v)
{
	struct buf	*sb = &n->field[f];
	const char	*p;
	size_t		 len, i;
	bool		 num;
	char		*end;
	struct val	 raw;

	if (!val_text(rc, v, sb, &p, &len))
		return true;
	num = v->kind == V_TOK && rc->doc->t[v->tok].type == J_NUMBER;
	switch (f) {
	case EF_TIMESTAMP:
		if (len == 0)
			return true;
		if (rc->r->time_format != NULL && !num) {
			if (!ts_parse_format(p, len, rc->r->time_format, &n->ts,
			    &ev->ts_ms))
				goto badtime;
		} else if (!ts_parse(p, len, &n->ts, &ev->ts_ms)) {
			if (!num || !ts_from_epoch(jdoc_num(rc->doc, v->tok),
			    &ev->ts_ms))
				goto badtime;
		}
		ev->has_ts = true;
		/* Keep the original when the normalized form differs. */
		if (len == TS_LEN || num) {
			char norm[TS_LEN + 1];
			ts_format(ev->ts_ms, norm);
			if (!num && memcmp(p, norm, TS_LEN) == 0)
				return true;
		}
		raw = *v;
		attr_put(n, rc, "timestamp_raw", 13, -1, &raw);
		return true;
	badtime:
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "bad timestamp: '%.*s'",
		    (int)(len > 64 ? 64 : len), p);
		return false;
	case EF_DURATION_MS:
		if (len == 0)
			return true;
		if (v->kind == V_TOK && !num &&
		    rc->doc->t[v->tok].type != J_STRING)
			goto badnum;
		/* A decimal number, as JSON writes it: no hex, nan or inf. */
		for (i = 0; i < len && (isdigit((unsigned char)p[i]) ||
		    p[i] == '.' || p[i] == '-' || p[i] == '+' || p[i] == 'e' ||
		    p[i] == 'E'); i++)
			;
		if (i < len)
			goto badnum;
		buf_reset(&n->tmp);
		buf_add(&n->tmp, p, len);
		ev->duration_ms = strtod(n->tmp.p, &end);
		if (*end != '\0')
			goto badnum;
		ev->has_duration = true;
		return true;
	badnum:
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "bad duration_ms: '%.*s'",
		    (int)(len > 64 ? 64 : len), p);
		return false;
	case EF_STATUS:
		for (i = 0; i < len && isdigit((unsigned char)p[i]); i++)
			;
		if (len > 0 && i == len && len < 6) {
			/* An HTTP-like code: 1xx is a call still in progress
			 * (the span log's start line), which has no status
			 * yet; 5xx failed; the rest succeeded. */
			if (atoi(p) < 200)
				return true;
			p = atoi(p) >= 500 ? "FAILURE" : "SUCCESS";
		} else if (word_in(p, len, success_words))
			p = "SUCCESS";
		else if (word_in(p, len, failure_words))
			p = "FAILURE";
		else {
			if (len > 0)
				attr_put(n, rc, "status", 6, -1, v);
			return true;
		}
		ev->f[f].p = p;
		ev->f[f].n = 7;
		return true;
	case EF_PART:
		if (len == 0)
			return true;
		if ((len == 4 && memcmp(p, "main", 4) == 0) ||
		    (len == 6 && memcmp(p, "detail", 6) == 0)) {
			ev->f[f].p = p;
			ev->f[f].n = len;
			return true;
		}
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "bad part: '%.*s' (main or detail)",
		    (int)(len > 64 ? 64 : len), p);
		return false;
	case EF_TRACE_ID:
	case EF_SPAN_ID:
	case EF_PARENT_SPAN_ID:
		if (len == 0)
			return true;
		for (i = 0; i < len && isxdigit((unsigned char)p[i]); i++)
			;
		if (i == len) {
			for (i = 0; i < len && !isupper((unsigned char)p[i]); i++)
				;
			if (i < len) {
				if (p != sb->p) {
					buf_reset(sb);
					buf_add(sb, p, len);
				}
				for (i = 0; i < len; i++)
					sb->p[i] = (char)tolower(
					    (unsigned char)sb->p[i]);
				p = sb->p;
			}
		}
		/* FALLTHROUGH */
	default:
		if (len == 0)
			return true;
		ev->f[f].p = p;
		ev->f[f].n = len;
		/* A JSON string that needs no rewriting is copied as written. */
		if (v->kind == V_TOK && p != sb->p) {
			const struct jtok *t = &rc->doc->t[v->tok];
			if (t->type == J_STRING && !(t->flags & JT_BADUTF8)) {
				ev->f[f].p = rc->doc->src + t->start + 1;
				ev->f[f].n = t->end - t->start - 2;
				ev->f[f].json = true;
			}
		}
		return true;
	}
}

/*
 * Map one record into one event and append it to out.  Returns false with
 * the reason in n->tmp.
 */
static bool
emit(struct norm *n, const struct rec *rc, struct buf *out)
{
	const struct rule *r = rc->r;
	struct event	 ev;
	struct val	 fv[EF_NFIELDS], v;
	int		 f, i, k, mi;
	uint32_t	 m;
	const struct tmpl_entry *te;

	memset(&ev, 0, sizeof(ev));
	attrs_reset(&n->attrs);
	buf_reset(&n->msg);
	for (f = 0; f < EF_NFIELDS; f++) {
		fv[f].kind = V_NONE;
		if ((mi = r->mapped[f]) >= 0)
			eval_value(n, rc, &r->maps[mi].val, &n->field[f],
			    &fv[f]);
	}
	if (rc->doc != NULL && rc->doc->t[rc->root].type == J_OBJECT) {
		/* One pass over the members: event field, attribute, or used. */
		const struct jdoc *d = rc->doc;
		k = rc->root + 1;
		for (m = 0; m < d->t[rc->root].count; m++) {
			const char *key = d->src + d->t[k].start + 1;
			size_t kl = d->t[k].end - d->t[k].start - 2;
			v.kind = d->t[k + 1].type == J_NULL ? V_NONE : V_TOK;
			v.tok = k + 1;
			v.p = NULL;
			v.n = 0;
			f = event_field_lookup(key, kl);
			if (f >= 0 && r->mapped[f] < 0 &&
			    (r->ndrops == 0 || !rule_drops(r, key, kl)))
				fv[f] = v;
			else if (is_used(r, key, kl))
				;
			else if (kl == 5 && memcmp(key, "attrs", 5) == 0 &&
			    d->t[k + 1].type == J_OBJECT) {
				uint32_t j, kk = (uint32_t)k + 2;
				for (j = 0; j < d->t[k + 1].count; j++) {
					struct val av = { V_TOK, NULL, 0,
					    (int)kk + 1 };
					attr_put(n, rc, d->src + d->t[kk].start +
					    1, d->t[kk].end - d->t[kk].start - 2,
					    (int)kk, &av);
					kk = d->t[kk + 1].next;
				}
			} else if (f < 0 || r->mapped[f] >= 0)
				attr_put(n, rc, key, kl, k, &v);
			k = (int)d->t[k + 1].next;
		}
	} else if (rc->doc == NULL) {
		for (i = 0; i < r->ncaps; i++) {
			if (r->caps[i].used)
				continue;
			struct ref ref = { NULL, 0, 0, r->caps[i].group };
			rec_get(rc, &ref, &v);
			if (v.kind != V_NONE || rc->ov[2 * r->caps[i].group] !=
			    PCRE2_UNSET)
				attr_put(n, rc, r->caps[i].name,
				    strlen(r->caps[i].name), -1, &v);
		}
	}
	for (i = 0; i < r->nmaps; i++)
		if (r->maps[i].field < 0) {
			eval_value(n, rc, &r->maps[i].val, &n->jqtext, &v);
			attr_put(n, rc, r->maps[i].attr,
			    strlen(r->maps[i].attr), -1, &v);
		}
	for (f = 0; f < EF_NFIELDS; f++)
		if (fv[f].kind != V_NONE && !set_field(n, rc, &ev, f, &fv[f]))
			return false;
	if (n->tmpl != NULL && n->msg.len > 0 &&
	    (te = tmpl_match(n->tmpl, n->msg.p, n->msg.len)) != NULL) {
		v.kind = V_BYTES;
		v.p = te->id;
		v.n = strlen(te->id);
		attr_put(n, rc, "template_id", 11, -1, &v);
		v.p = te->text;
		v.n = strlen(te->text);
		attr_put(n, rc, "template", 8, -1, &v);
	}
	/* The name was escaped once, when the rule was compiled. */
	ev.rule.p = r->jname + 1;
	ev.rule.n = r->jnamelen - 2;
	ev.rule.json = true;
	ev.attrs.p = n->attrs.text.p ? n->attrs.text.p : "";
	ev.attrs.n = n->attrs.text.len;
	if (n->index >= 0) {
		/* One of several events of the record: say which. */
		buf_reset(&n->srcidx);
		buf_add(&n->srcidx, n->source.p, n->source.len);
		buf_addlit(&n->srcidx, ",\"index\":");
		jw_int(&n->srcidx, n->index);
		ev.source.p = n->srcidx.p;
		ev.source.n = n->srcidx.len;
	} else {
		ev.source.p = n->source.p;
		ev.source.n = n->source.len;
	}
	event_write(out, &ev);
	return true;
}

/* Run the rule's jq program over the record; each output is one event. */
static int
emit_jq(struct norm *n, const struct rec *rc, const char *rec, size_t len,
    struct buf *out)
{
	const struct rule *r = rc->r;
	struct rec	 sub;
	jv		 in, res, s;
	int		 count = 0, i;
	struct val	 v;

	if (rc->doc == NULL) {
		/* A text rule: the program sees the object of captures. */
		buf_reset(&n->jqtext);
		buf_addc(&n->jqtext, '{');
		for (i = 0; i < r->ncaps; i++) {
			struct ref ref = { NULL, 0, 0, r->caps[i].group };
			rec_get(rc, &ref, &v);
			if (v.kind == V_NONE)
				continue;
			if (n->jqtext.len > 1)
				buf_addc(&n->jqtext, ',');
			jw_cstr(&n->jqtext, r->caps[i].name);
			buf_addc(&n->jqtext, ':');
			jw_str(&n->jqtext, v.p, v.n);
		}
		buf_addc(&n->jqtext, '}');
		in = jv_parse_sized(n->jqtext.p, (int)n->jqtext.len);
	} else if (len > INT32_MAX) {
		buf_reset(&n->tmp);
		buf_adds(&n->tmp, "record too large for jq");
		return -1;
	} else
		in = jv_parse_sized(rec, (int)len);
	if (!jv_is_valid(in)) {
		jv_free(in);
		buf_reset(&n->tmp);
		buf_adds(&n->tmp, "jq: input not readable by jq");
		return -1;
	}
	jq_start(r->jq, in, 0);
	while (jv_is_valid(res = jq_next(r->jq))) {
		if (jv_get_kind(res) != JV_KIND_OBJECT) {
			jv_free(res);
			buf_reset(&n->tmp);
			buf_addf(&n->tmp, "jq: rule '%s' output is not an "
			    "object", r->name);
			return -1;
		}
		s = jv_dump_string(res, 0);
		if (!jdoc_parse(&n->jqdoc, jv_string_value(s),
		    (size_t)jv_string_length_bytes(jv_copy(s)))) {
			jv_free(s);
			buf_reset(&n->tmp);
			buf_adds(&n->tmp, "jq: output not readable");
			return -1;
		}
		sub = *rc;
		sub.doc = &n->jqdoc;
		sub.root = 0;
		sub.from_text = false;
		n->index = count;
		if (!emit(n, &sub, out)) {
			n->index = -1;
			jv_free(s);
			return -1;
		}
		n->index = -1;
		jv_free(s);
		count++;
	}
	if (jv_invalid_has_msg(jv_copy(res))) {
		jv msg = jv_invalid_get_msg(res);
		buf_reset(&n->tmp);
		if (jv_get_kind(msg) == JV_KIND_STRING)
			buf_addf(&n->tmp, "jq: %s", jv_string_value(msg));
		else {
			jv d = jv_dump_string(msg, 0);
			buf_addf(&n->tmp, "jq: %s", jv_string_value(d));
			jv_free(d);
			msg = jv_null();
		}
		jv_free(msg);
		return -1;
	}
	jv_free(res);
	if (count == 0) {
		buf_reset(&n->tmp);
		buf_addf(&n->tmp, "no events: rule '%s' produced none",
		    r->name);
		return -1;
	}
	return count;
}

/* Apply rule r to rc: returns events written, -1 with reason in n->tmp. */
static int
apply(struct norm *n, struct rec *rc, const char *rec, size_t len,
    struct buf *out)
{
	if (rc->r->jq != NULL)
		return emit_jq(n, rc, rec, len, out);
	return emit(n, rc, out) ? 1 : -1;
}

static bool
preds_hold(struct norm *n, const struct rec *rc)
{
	int	 i;

	for (i = 0; i < rc->r->npreds; i++)
		if (!pred_holds(rc, &rc->r->preds[i], &n->tmp))
			return false;
	return true;
}

static void	fallen(struct norm *, struct buf *, size_t);

/*
 * Try the text rules on rec.  Returns events written, 0 if none matched,
 * -1 if the matching rule failed (reason in n->tmp).
 */
static int
try_text(struct norm *n, const char *rec, size_t len, struct buf *out)
{
	const struct ruleset *rs = n->rs;
	struct rec	 rc;
	int		 i, rv;

	size_t		 mark = out->len;

	memset(&rc, 0, sizeof(rc));
	rc.text = rec;
	rc.from_text = true;
	rc.ov = pcre2_get_ovector_pointer(rs->md);
	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		if (!r->is_text)
			continue;
		if (r->needle != NULL && lp_memmem(rec, len, r->needle,
		    r->needlelen) == NULL)
			continue;
		if (r->jit)
			rv = pcre2_jit_match(r->re, (PCRE2_SPTR)rec, len, 0, 0,
			    rs->md, rs->mctx);
		else
			rv = pcre2_match(r->re, (PCRE2_SPTR)rec, len, 0, 0,
			    rs->md, rs->mctx);
		if (rv == PCRE2_ERROR_NOMATCH)
			continue;
		if (rv < 0) {
			/* Not "no": "could not tell" (a JIT stack or match
			 * limit on a huge line).  Say so if nothing matches. */
			PCRE2_UCHAR msg[128];
			pcre2_get_error_message(rv, msg, sizeof(msg));
			buf_reset(&n->tmp);
			buf_addf(&n->tmp, "match error: rule '%s': %s", r->name,
			    (char *)msg);
			fallen(n, out, mark);
			continue;
		}
		rc.r = r;
		rc.ovn = (uint32_t)rv;
		if (!preds_hold(n, &rc))
			continue;
		if ((rv = apply(n, &rc, rec, len, out)) > 0)
			return rv;
		fallen(n, out, mark);
	}
	return n->failed.len > 0 ? -1 : 0;
}

/*
 * A rule matched but failed to map the record (reason in n->tmp): take
 * back what it wrote and remember the first such reason, in case no later
 * rule does better.
 */
static void
fallen(struct norm *n, struct buf *out, size_t mark)
{
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
	    jdoc_get(d, 0, "payload", 7) >= 0 &&
	    jdoc_get(d, 0, "topic", 5) >= 0 && jdoc_get(d, 0, "offset", 6) >= 0;
}

static void
source_put(struct buf *s, const struct jdoc *d, const char *key)
{
	int	 t = jdoc_get(d, 0, key, strlen(key));

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
	int		 t = jdoc_get(d, 0, "payload", 7);
	const char	*p;
	size_t		 len;

	buf_reset(&n->source);
	source_put(&n->source, d, "topic");
	source_put(&n->source, d, "partition");
	source_put(&n->source, d, "offset");
	source_put(&n->source, d, "key");
	if (jdoc_get(d, 0, "ts", 2) >= 0)
		source_put(&n->source, d, "ts");
	if (d->t[t].type != J_STRING) {
		*why = "empty payload: kafka message without a payload";
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
	bool		 json = false;

	*why = NULL;
	buf_reset(&n->failed);
	for (i = 0; i < len && isspace((unsigned char)rec[i]); i++)
		;
	if (i == len) {
		*why = "empty line";
		return -1;
	}
	if (rec[i] == '{' || rec[i] == '[') {
		json = jdoc_parse(&n->doc, rec, len);
		if (json && !inner && is_envelope(&n->doc))
			return unwrap(n, out, why);
		if (json) {
			memset(&rc, 0, sizeof(rc));
			rc.doc = &n->doc;
			for (k = 0; k < rs->nrules; k++) {
				rc.r = &rs->rules[k];
				if (rc.r->is_text || (rc.r->jq == NULL &&
				    n->doc.t[0].type != J_OBJECT))
					continue;
				if (!preds_hold(n, &rc))
					continue;
				if ((rv = apply(n, &rc, rec, len, out)) > 0)
					return rv;
				fallen(n, out, mark);
			}
		}
	}
	if (rs->ntext > 0 && (rv = try_text(n, rec, len, out)) > 0)
		return rv;
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
	}
	buf_reset(&n->source);
	buf_add(&n->source, n->srcfile.p, n->srcfile.len);
	jw_int(&n->source, line);
	rv = normalize(n, rec, len, out, false, &why);
	if (rv > 0) {
		n->records++;
		n->events += (unsigned long)rv;
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
