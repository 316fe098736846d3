/*
 * fields.c - filling an event from a record that a rule recognised: the
 * rule's values and predicates against the record's fields (captures of a
 * line, or members of a JSON object), the event fields normalized, the
 * rest kept in attrs, the template; see fields.h.
 *
 * The hot path for a JSON line is one pass over the object's members that
 * sorts each into an event field, an attribute, or nothing.  No jv value is
 * built here.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "jw.h"
#include "lp.h"
#include "words.h"

int
get_last(const struct jdoc *d, int obj, const char *key, size_t klen)
{
	const struct jtok *t;
	uint32_t	 k, m;
	int		 found = -1;

	if (obj < 0 || d->t[obj].type != J_OBJECT)
		return -1;
	for (m = 0, k = (uint32_t)obj + 1; m < d->t[obj].count;
	    m++, k = d->t[k + 1].next) {
		t = &d->t[k];
		if (t->flags & JT_ESCAPED ? jdoc_str_eq(d, (int)k, key, klen) :
		    t->end - t->start - 2 == klen &&
		    memcmp(d->src + t->start + 1, key, klen) == 0)
			found = (int)k + 1;
	}
	return found;
}

/* get_last along a dotted path "a.b.c" of nested objects. */
static int
path_last(const struct jdoc *d, int obj, const char *path, size_t plen)
{
	const char	*dot;
	size_t		 seg;

	for (;;) {
		dot = memchr(path, '.', plen);
		seg = dot ? (size_t)(dot - path) : plen;
		if ((obj = get_last(d, obj, path, seg)) < 0 || dot == NULL)
			return obj;
		path += seg + 1;
		plen -= seg + 1;
	}
}

/* Room for every name of nm, and a new generation: no name set yet. */
static void
keyidx_begin(struct keyidx *kx, const struct names *nm)
{
	if (kx->nval < nm->n) {
		free(kx->ownval);
		free(kx->ownstamp);
		kx->ownval = xcalloc((size_t)nm->n, sizeof(*kx->ownval));
		kx->ownstamp = xcalloc((size_t)nm->n, sizeof(*kx->ownstamp));
		kx->nval = nm->n;
		kx->owngen = 0;
	}
	if (++kx->owngen == 0) {
		memset(kx->ownstamp, 0, (size_t)kx->nval *
		    sizeof(*kx->ownstamp));
		kx->owngen = 1;
	}
	kx->val = kx->ownval;
	kx->stamp = kx->ownstamp;
	kx->gen = kx->owngen;
}

void
keyidx_build(struct keyidx *kx, const struct names *nm, const struct jdoc *d,
    int root)
{
	const struct jtok *t;
	const char	*key;
	size_t		 kl, h;
	uint32_t	 m, k, e, count;
	int		 id;
	struct kxmemo	*mo;

	kx->doc = NULL;
	if (root < 0 || d->t[root].type != J_OBJECT)
		return;
	keyidx_begin(kx, nm);
	if (kx->memo_nm != nm) {
		memset(kx->memo, 0, sizeof(kx->memo));
		kx->memo_nm = nm;
	}
	count = d->t[root].count;
	xgrow(&kx->ownmemid, &kx->memcap, count + 1, sizeof(*kx->ownmemid));
	for (m = 0, k = (uint32_t)root + 1; m < count; m++, k = d->t[k + 1].next) {
		t = &d->t[k];
		if (t->flags & JT_ESCAPED)
			jdoc_str(d, (int)k, &kx->key, &key, &kl);
		else {
			key = d->src + t->start + 1;
			kl = t->end - t->start - 2;
		}
		mo = m < KX_MEMO ? &kx->memo[m] : NULL;
		if (mo != NULL && mo->len == kl + 1 &&
		    json_name_eq(mo->name, key, kl))
			id = mo->id;
		else {
			/* names_lookup, inline: most members are looked up
			 * here */
			id = -1;
			if (nm->tab != NULL)
				for (h = names_hash(key, kl) & nm->mask;
				    (e = nm->tab[h]) != 0;
				    h = (h + 1) & nm->mask)
					if (nm->len[e - 1] == kl &&
					    json_name_eq(nm->name[e - 1], key,
					    kl)) {
						id = (int)e - 1;
						break;
					}
			if (mo != NULL && kl <= sizeof(mo->name)) {
				memcpy(mo->name, key, kl);
				mo->len = kl + 1;
				mo->id = id;
			}
		}
		kx->ownmemid[m] = id;
		if (id >= 0) {
			kx->ownval[id] = (int)k + 1;
			kx->ownstamp[id] = kx->gen;
		}
	}
	kx->memid = kx->ownmemid;
	kx->doc = d;
	kx->src = d->src;
	kx->root = root;
}

void
keyidx_known(struct keyidx *kx, const struct names *nm, const struct jdoc *d,
    int root, const int *ids)
{
	uint32_t	 m, k, count = d->t[root].count;

	keyidx_begin(kx, nm);
	xgrow(&kx->ownmemid, &kx->memcap, count + 1, sizeof(*kx->ownmemid));
	for (m = 0, k = (uint32_t)root + 1; m < count; m++,
	    k = d->t[k + 1].next) {
		kx->ownmemid[m] = ids[m];
		if (ids[m] >= 0) {
			kx->ownval[ids[m]] = (int)k + 1;
			kx->ownstamp[ids[m]] = kx->gen;
		}
	}
	kx->memid = kx->ownmemid;
	kx->doc = d;
	kx->src = d->src;
	kx->root = root;
}

void
keyidx_release(struct keyidx *kx)
{
	free(kx->ownval);
	free(kx->ownstamp);
	free(kx->ownmemid);
	buf_release(&kx->key);
	memset(kx, 0, sizeof(*kx));
}

/* Whether kx indexes rc's object (as it is now). */
static inline bool
indexed(const struct rec *rc)
{
	const struct keyidx *kx = rc->kx;

	return kx != NULL && kx->doc == rc->doc && kx->root == rc->root &&
	    kx->src == rc->doc->src;
}

/*
 * rec_get(), inlined where it is called for every record (the mappings'
 * values, the match clauses): a JSON record's value is a few loads.
 */
static inline __attribute__((always_inline)) void
rec_get_inline(const struct rec *rc, const struct ref *ref, struct val *v)
{
	int	 g, head;

	v->kind = V_NONE;
	if (rc->doc != NULL) {
		if (ref->id > 0 && indexed(rc)) {
			/* the first segment by number, the rest by name */
			head = rc->kx->stamp[ref->id - 1] == rc->kx->gen ?
			    rc->kx->val[ref->id - 1] : -1;
			v->tok = head < 0 || ref->headlen == ref->len ? head :
			    path_last(rc->doc, head, ref->path + ref->headlen +
			    1, ref->len - ref->headlen - 1);
		} else
			v->tok = path_last(rc->doc, rc->root, ref->path,
			    ref->len);
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
	v->json = rc->plain;
}

void
rec_get(const struct rec *rc, const struct ref *ref, struct val *v)
{
	rec_get_inline(rc, ref, v);
}

/*
 * The value as text: strings unescaped, numbers and literals as written,
 * containers as compact JSON.  scratch may be used.  False if absent.
 * Inlined: it is called for every field of every event.
 */
static inline __attribute__((always_inline)) bool
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
		if (t->type == J_STRING && !(t->flags & JT_ESCAPED)) {
			/* jdoc_str's common case, without the call */
			*p = rc->doc->src + t->start + 1;
			*len = t->end - t->start - 2;
		} else if (t->type == J_STRING)
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

/* eval_value(), inlined into emit() for its mapped fields. */
static inline __attribute__((always_inline)) void
eval_inline(struct norm *n, const struct rec *rc, const struct value *val,
    struct buf *scratch, struct val *v)
{
	const char	*p;
	size_t		 len;
	struct val	 pv;
	int		 i;

	v->kind = V_NONE;
	v->json = false;
	switch (val->kind) {
	case VAL_NULL:
		break;
	case VAL_CONST:
		v->kind = V_BYTES;
		v->p = val->str;
		v->n = val->len;
		v->json = val->plain;
		break;
	case VAL_REF:
		rec_get_inline(rc, &val->ref, v);
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
		/* a plain line's captures and plain text: plain */
		v->json = rc->doc == NULL && rc->plain && val->plain;
		break;
	}
}

void
eval_value(struct norm *n, const struct rec *rc, const struct value *val,
    struct buf *scratch, struct val *v)
{
	eval_inline(n, rc, val, scratch, v);
}

static bool
pred_holds(const struct rec *rc, const struct pred *pr, struct buf *scratch)
{
	struct val	 v;
	const char	*p;
	size_t		 len;
	const struct jtok *t;
	bool		 eq = false;

	rec_get_inline(rc, &pr->ref, &v);
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

/* The names lognorm adds to attrs itself. */
static const struct aname an_timestamp_raw = ANAME("timestamp_raw");
static const struct aname an_status = ANAME("status");
static const struct aname an_message = ANAME("message");
static const struct aname an_template_id = ANAME("template_id");
static const struct aname an_template = ANAME("template");

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
	struct aname	 an = { name, nl, NULL, 0 };

	attr_put_name(n, rc, &an, keytok, v);
}

/*
 * Append key (a member's name as JSON, colon included) and the JSON text
 * q[0..ql), quoted when quote, to the attrs under construction, with
 * room made once: attr_put_name's common case (a timestamp_raw), which
 * field_put() also takes without the call.
 */
static inline __attribute__((always_inline)) void
attr_append(struct buf *a, const char *key, size_t keylen, const char *q,
    size_t ql, bool quote)
{
	size_t	 need = 1 + keylen + ql + 2;
	char	*w;

	if (a->cap - a->len <= need)
		buf_grow(a, need);
	w = a->p + a->len;
	if (a->len > 0)
		*w++ = ',';
	w = event_put_bytes(w, key, keylen);
	if (quote)
		*w++ = '"';
	w = event_put_bytes(w, q, ql);
	if (quote)
		*w++ = '"';
	*w = '\0';
	a->len = (size_t)(w - a->p);
}

void
attr_put_name(struct norm *n, const struct rec *rc, const struct aname *an,
    int keytok, const struct val *v)
{
	struct buf	*a;
	const char	*p, *name = an->s;
	size_t		 len, nl = an->n;
	struct val	 cv;

	if (keytok >= 0 && (rc->doc->t[keytok].flags & JT_ESCAPED))
		jdoc_str(rc->doc, keytok, &n->keytmp, &name, &nl);
	if (n->cont != NULL && nl == 7 && memcmp(name, "message", 7) == 0) {
		/* a multi-line record's message: its continuation lines
		 * after it (templates classify the first line's) */
		n->msg_put = true;
		buf_reset(&n->msg);
		buf_reset(&n->contmsg);
		if (val_text(rc, v, &n->tmp, &p, &len)) {
			buf_add(&n->msg, p, len);
			buf_add(&n->contmsg, p, len);
			buf_addc(&n->contmsg, '\n');
		}
		buf_add(&n->contmsg, n->cont, n->contlen);
		cv.kind = V_BYTES;
		cv.p = n->contmsg.p;
		cv.n = n->contmsg.len;
		v = &cv;
		a = attrs_begin(&n->attrs, name, nl);
		jw_str(a, v->p, v->n);
		attrs_end(&n->attrs);
		return;
	}
	if (n->attrs_fast && an->key != NULL && (v->kind == V_TOK ?
	    rc->doc->t[v->tok].type == J_STRING &&
	    !(rc->doc->t[v->tok].flags & JT_BADUTF8) :
	    v->kind == V_BYTES && v->json)) {
		/* The common case (a timestamp_raw): key and a string that
		 * is copied as it is. */
		const struct jtok *t = v->kind == V_TOK ?
		    &rc->doc->t[v->tok] : NULL;

		if (t != NULL)
			attr_append(&n->attrs.text, an->key, an->keylen,
			    rc->doc->src + t->start, t->end - t->start, false);
		else
			attr_append(&n->attrs.text, an->key, an->keylen, v->p,
			    v->n, true);
		goto message;
	}
	if (n->attrs_fast) {
		/* names known to be distinct: appended, no lookup */
		a = &n->attrs.text;
		if (a->len > 0)
			buf_addc(a, ',');
		if (an->key != NULL)
			buf_add(a, an->key, an->keylen);
		else if (rc->unique && keytok >= 0) {
			/* a decoder's own name: plain ASCII, as written */
			const struct jtok *t = &rc->doc->t[keytok];
			buf_add(a, rc->doc->src + t->start, t->end - t->start);
			buf_addc(a, ':');
		} else {
			jw_str(a, name, nl);
			buf_addc(a, ':');
		}
	} else
		a = attrs_begin(&n->attrs, name, nl);
	if (v->kind == V_TOK && rc->unique) {
		/* a decoder's object is compact JSON as jdoc_write writes
		 * it: a value's text is its own */
		const struct jtok *t = &rc->doc->t[v->tok];
		buf_add(a, rc->doc->src + t->start, t->end - t->start);
	} else if (v->kind == V_TOK)
		jdoc_write(rc->doc, v->tok, a);
	else if (v->kind == V_BYTES && v->json) {
		buf_addc(a, '"');
		buf_add(a, v->p, v->n);
		buf_addc(a, '"');
	} else if (v->kind == V_BYTES)
		jw_str(a, v->p, v->n);
	else
		jw_null(a);
	if (!n->attrs_fast)
		attrs_end(&n->attrs);
message:
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

/* The fields that field_put() takes as they are (its default case); and
 * the ids, taken so unless they are hex with upper case. */
#define PLAIN_FIELDS	(1u << EF_SYSTEM_ID | 1u << EF_CHECKPOINT_ID |	\
	    1u << EF_CORRELATION_ID | 1u << EF_FAILURE_REASON |		\
	    1u << EF_TARGET_SYSTEM_ID)
#define ID_FIELDS	(1u << EF_TRACE_ID | 1u << EF_SPAN_ID |		\
	    1u << EF_PARENT_SPAN_ID)

/*
 * set_field(), inlined into emit(): an event has a dozen fields, and the
 * call of each, out of line, was a measurable share of a JSON record's.
 */
static inline __attribute__((always_inline)) bool
field_put(struct norm *n, const struct rec *rc, struct event *ev, int f,
    const struct val *v)
{
	struct buf	*sb = &n->field[f];
	const char	*p, *fmt, *word;
	size_t		 len, i;
	bool		 num, same;
	char		*end;
	struct val	 raw;

	if (!val_text(rc, v, sb, &p, &len))
		return true;
	num = v->kind == V_TOK && rc->doc->t[v->tok].type == J_NUMBER;
	switch (f) {
	case EF_TIMESTAMP:
		if (len == 0)
			return true;
		fmt = num ? NULL : rc->r->time_format;
		if (!ts_read(n, p, len, fmt, num, &ev->ts_ms, &same))
			goto badtime;
		ev->has_ts = true;
		if (same)
			return true;
		if (n->attrs_fast && v->kind == V_TOK &&
		    rc->doc->t[v->tok].type == J_STRING &&
		    !(rc->doc->t[v->tok].flags & JT_BADUTF8)) {
			/* attr_put_name's common case, without the call */
			const struct jtok *t = &rc->doc->t[v->tok];
			attr_append(&n->attrs.text, an_timestamp_raw.key,
			    an_timestamp_raw.keylen, rc->doc->src + t->start,
			    t->end - t->start, false);
			return true;
		}
		raw = *v;
		attr_put_name(n, rc, &an_timestamp_raw, -1, &raw);
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
		/* A number that needs no change is copied as written. */
		if (jw_num_canonical(p, len)) {
			ev->duration.p = p;
			ev->duration.n = len;
			ev->has_duration = true;
			return true;
		}
		buf_reset(&n->tmp);
		buf_add(&n->tmp, p, len);
		ev->duration_ms = strtod(n->tmp.p, &end);
		/* 1e999 is a JSON number, but no double: not null, a reject */
		if (*end != '\0' || !isfinite(ev->duration_ms))
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
		} else if (len == 7 && memcmp(p, "SUCCESS", 7) == 0)
			p = "SUCCESS";	/* as written, the common cases */
		else if (len == 7 && memcmp(p, "FAILURE", 7) == 0)
			p = "FAILURE";
		else if ((word = status_word(p, len)) != NULL)
			p = word;
		else {
			if (len > 0)
				attr_put_name(n, rc, &an_status, -1, v);
			return true;
		}
		ev->f[f].p = p;
		ev->f[f].n = 7;
		ev->f[f].json = true;	/* a word of ours: no escaping */
		return true;
	case EF_PART:
		if (len == 0)
			return true;
		if ((len == 4 && memcmp(p, "main", 4) == 0) ||
		    (len == 6 && memcmp(p, "detail", 6) == 0)) {
			ev->f[f].p = p;
			ev->f[f].n = len;
			ev->f[f].json = true;	/* main or detail: as is */
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
		/* hexadecimal digits only: lower-cased (a decoder's ids
		 * are lower-cased already) */
		if (!rc->unique && hex_upper(p, len)) {
			if (p != sb->p) {
				buf_reset(sb);
				buf_add(sb, p, len);
			}
			for (i = 0; i < len; i++)
				if (sb->p[i] >= 'A' && sb->p[i] <= 'F')
					sb->p[i] = (char)(sb->p[i] - 'A' + 'a');
			p = sb->p;
		}
		/* FALLTHROUGH */
	default:
		if (len == 0)
			return true;
		ev->f[f].p = p;
		ev->f[f].n = len;
		/* Text that needs no escaping is copied as it is. */
		if (v->kind == V_BYTES && v->json && p == v->p)
			ev->f[f].json = true;
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

bool
set_field(struct norm *n, const struct rec *rc, struct event *ev, int f,
    const struct val *v)
{
	return field_put(n, rc, ev, f, v);
}

/* The members of the record's "attrs" object obj, as attributes. */
static void
attrs_merge_members(struct norm *n, const struct rec *rc, int obj)
{
	const struct jdoc *d = rc->doc;
	uint32_t	 j, kk = (uint32_t)obj + 1;

	for (j = 0; j < d->t[obj].count; j++) {
		struct val av = { V_TOK, NULL, 0, (int)kk + 1, false };
		attr_put(n, rc, d->src + d->t[kk].start + 1,
		    d->t[kk].end - d->t[kk].start - 2, (int)kk, &av);
		kk = d->t[kk + 1].next;
	}
}

/*
 * Map one record into one event and append it to out.  Returns false with
 * the reason in n->tmp.
 */
bool
emit(struct norm *n, const struct rec *rc, struct buf *out)
{
	const struct rule *r = rc->r;
	const struct keyidx *kx = NULL;
	const struct jtok *t;
	struct event	 ev;
	struct val	 fv[EF_NFIELDS], v;
	int		 tokf[EF_NFIELDS], f, i, k;
	uint32_t	 m;
	/* The fields set, a bit each: the loops go over those alone.  A
	 * field of fromtok is the JSON value token tokf[f] (most of a JSON
	 * record's), any other its value fv[f]. */
	unsigned	 bits, set = 0, fromtok = 0;

	/* What event_write reads before or without field_put() and
	 * emit_end() setting it; the rest of ev is left as it is, a
	 * quarter of it. */
	memset(ev.f, 0, sizeof(ev.f));
	ev.has_ts = ev.has_duration = false;
	ev.duration.p = NULL;
	ev.duration.n = 0;
	ev.extra.p = "";
	ev.extra.n = 0;
	attrs_reset(&n->attrs);
	n->msg_put = false;
	/* The attributes' names cannot repeat (rule.h, attrs_unique; the
	 * members of a decoder's object are distinct): no lookups. */
	n->attrs_fast = rc->doc == NULL ? r->attrs_unique :
	    rc->unique && r->nattrmaps == 0;
	buf_reset(&n->msg);
	if (rc->doc != NULL && indexed(rc))
		kx = rc->kx;
	for (bits = r->mapmask; bits != 0; bits &= bits - 1) {
		const struct value *val;

		f = __builtin_ctz(bits);
		val = &r->maps[r->mapped[f]].val;
		if (kx != NULL && val->kind == VAL_REF && val->ref.id > 0 &&
		    val->ref.headlen == val->ref.len) {
			/* rec_get_inline's top-level member by its name's
			 * number, the index known to be the record's */
			k = kx->stamp[val->ref.id - 1] == kx->gen ?
			    kx->val[val->ref.id - 1] : -1;
			if (k >= 0 && rc->doc->t[k].type != J_NULL) {
				tokf[f] = k;
				fromtok |= 1u << f;
				set |= 1u << f;
			}
			continue;
		}
		eval_inline(n, rc, val, &n->field[f], &fv[f]);
		if (fv[f].kind != V_NONE)
			set |= 1u << f;
	}
	if (kx != NULL && rc->doc->t[rc->root].type == J_OBJECT &&
	    r->klass != NULL) {
		/* One pass over the members, each already classed by its
		 * name's number: event field, used, attrs, attribute. */
		const struct jdoc *d = rc->doc;
		const struct jtok *toks = d->t;
		const int *memid = kx->memid;
		const unsigned char *klass = r->klass;
		uint32_t count = toks[rc->root].count;

		k = rc->root + 1;
		for (m = 0; m < count; m++, k = (int)toks[k + 1].next) {
			int c = memid[m] >= 0 ? klass[memid[m]] : K_ATTR;
			if (c < EF_NFIELDS) {
				tokf[c] = k + 1;
				fromtok |= 1u << c;
				set = toks[k + 1].type != J_NULL ?
				    set | 1u << c : set & ~(1u << c);
				continue;
			}
			if (c == K_USED)
				continue;
			if (c == K_ATTRS && d->t[k + 1].type == J_OBJECT) {
				attrs_merge_members(n, rc, k + 1);
				continue;
			}
			v.kind = d->t[k + 1].type == J_NULL ? V_NONE : V_TOK;
			v.tok = k + 1;
			v.p = NULL;
			v.n = 0;
			attr_put(n, rc, d->src + d->t[k].start + 1,
			    d->t[k].end - d->t[k].start - 2, k, &v);
		}
	} else if (rc->doc != NULL && rc->doc->t[rc->root].type == J_OBJECT) {
		/* One pass over the members: event field, attribute, or used. */
		const struct jdoc *d = rc->doc;
		k = rc->root + 1;
		for (m = 0; m < d->t[rc->root].count; m++) {
			const char *key = d->src + d->t[k].start + 1;
			size_t kl = d->t[k].end - d->t[k].start - 2;
			/* names are compared unescaped: "\u0073tatus" is
			 * status */
			if (d->t[k].flags & JT_ESCAPED)
				jdoc_str(d, k, &n->keyname, &key, &kl);
			v.kind = d->t[k + 1].type == J_NULL ? V_NONE : V_TOK;
			v.tok = k + 1;
			v.p = NULL;
			v.n = 0;
			f = event_field_lookup(key, kl);
			if (f >= 0 && r->mapped[f] < 0 &&
			    (r->ndrops == 0 || !rule_drops(r, key, kl))) {
				tokf[f] = k + 1;
				fromtok |= 1u << f;
				set = v.kind != V_NONE ? set | 1u << f :
				    set & ~(1u << f);
			}
			else if (is_used(r, key, kl))
				;
			else if (kl == 5 && memcmp(key, "attrs", 5) == 0 &&
			    d->t[k + 1].type == J_OBJECT)
				attrs_merge_members(n, rc, k + 1);
			else if (f < 0 || r->mapped[f] >= 0)
				attr_put(n, rc, key, kl, -1, &v);
			k = (int)d->t[k + 1].next;
		}
	} else if (rc->doc == NULL) {
		for (i = 0; i < r->ncaps; i++) {
			if (r->caps[i].used)
				continue;
			struct ref ref = { .group = r->caps[i].group };
			rec_get(rc, &ref, &v);
			if (v.kind != V_NONE || rc->ov[2 * r->caps[i].group] !=
			    PCRE2_UNSET)
				attr_put_name(n, rc, &r->caps[i].an, -1, &v);
		}
	}
	for (i = 0; r->nattrmaps > 0 && i < r->nmaps; i++)
		if (r->maps[i].field < 0) {
			eval_value(n, rc, &r->maps[i].val, &n->jqtext, &v);
			attr_put_name(n, rc, &r->maps[i].an, -1, &v);
		}
	if (n->cont != NULL && !n->msg_put) {
		/* a multi-line record without a message: its continuation
		 * lines are one */
		v.kind = V_NONE;
		attr_put_name(n, rc, &an_message, -1, &v);
	}
	/* No attribute yet: those to come are lognorm's own (timestamp_raw,
	 * status, template_id, template), each once at most, and need no
	 * lookups either. */
	if (n->attrs.text.len == 0 && n->cont == NULL)
		n->attrs_fast = true;
	if (fromtok != 0) {
		/* field_put()'s default case for a string copied as written,
		 * without its tests (empty is null), first: it adds no
		 * attribute and cannot fail, so that the order is the same */
		const struct jtok *toks = rc->doc->t;
		const char *src = rc->doc->src;

		for (bits = set & fromtok & (PLAIN_FIELDS | ID_FIELDS);
		    bits != 0; bits &= bits - 1) {
			f = __builtin_ctz(bits);
			t = &toks[tokf[f]];
			if (t->type != J_STRING ||
			    (t->flags & (JT_ESCAPED | JT_BADUTF8)))
				continue;
			if ((1u << f & ID_FIELDS) && !rc->unique &&
			    hex_upper(src + t->start + 1,
			    t->end - t->start - 2))
				continue;
			if (t->end - t->start > 2) {
				ev.f[f].p = src + t->start + 1;
				ev.f[f].n = t->end - t->start - 2;
				ev.f[f].json = true;
			}
			set &= ~(1u << f);
		}
		/* field_put()'s status written as one of its words, also
		 * without its tests */
		if (set & fromtok & 1u << EF_STATUS) {
			const char *word = NULL;

			t = &toks[tokf[EF_STATUS]];
			if (t->type == J_STRING && t->end - t->start == 9 &&
			    !(t->flags & JT_ESCAPED)) {
				if (memcmp(src + t->start + 1, "SUCCESS", 7) == 0)
					word = "SUCCESS";
				else if (memcmp(src + t->start + 1, "FAILURE",
				    7) == 0)
					word = "FAILURE";
			}
			if (word != NULL) {
				ev.f[EF_STATUS].p = word;
				ev.f[EF_STATUS].n = 7;
				ev.f[EF_STATUS].json = true;
				set &= ~(1u << EF_STATUS);
			}
		}
	}
	for (; set != 0; set &= set - 1) {
		f = __builtin_ctz(set);
		if (fromtok & 1u << f) {
			fv[f].kind = V_TOK;
			fv[f].tok = tokf[f];
			fv[f].p = NULL;
			fv[f].n = 0;
			fv[f].json = false;
		}
		if (!field_put(n, rc, &ev, f, &fv[f]))
			return false;
	}
	emit_end(n, rc, &ev);
	event_write(out, &ev);
	return true;
}

void
emit_end(struct norm *n, const struct rec *rc, struct event *ev)
{
	const struct rule *r = rc->r;
	const struct tmpl_entry *te;
	struct val	 v = { V_BYTES, NULL, 0, -1, false };	/* escaped */

	if (n->tmpl != NULL && n->msg.len > 0 &&
	    (te = tmpl_match(n->tmpl, n->msg.p, n->msg.len)) != NULL) {
		v.p = te->id;
		v.n = strlen(te->id);
		attr_put_name(n, rc, &an_template_id, -1, &v);
		v.p = te->text;
		v.n = strlen(te->text);
		attr_put_name(n, rc, &an_template, -1, &v);
	}
	/* The name was escaped once, when the rule was compiled. */
	ev->rule.p = r->jname + 1;
	ev->rule.n = r->jnamelen - 2;
	ev->rule.json = true;
	ev->attrs.p = n->attrs.text.p ? n->attrs.text.p : "";
	ev->attrs.n = n->attrs.text.len;
	if (n->index >= 0) {
		/* One of several events of the record: say which. */
		buf_reset(&n->srcidx);
		buf_add(&n->srcidx, n->source.p, n->source.len);
		buf_addlit(&n->srcidx, ",\"index\":");
		jw_int(&n->srcidx, n->index);
		ev->source.p = n->srcidx.p;
		ev->source.n = n->srcidx.len;
	} else {
		ev->source.p = n->source.p;
		ev->source.n = n->source.len;
	}
}

bool
preds_test(struct norm *n, const struct rec *rc)
{
	int	 i;

	for (i = 0; i < rc->r->npreds; i++)
		if ((!rc->dispatched || i != rc->r->dispatched - 1) &&
		    !pred_holds(rc, &rc->r->preds[i], &n->tmp)) {
			if (n->explain != NULL)
				explain_pred(n, rc, &rc->r->preds[i]);
			return false;
		}
	return true;
}

void
rec_value_text(struct norm *n, const struct rec *rc, const struct ref *ref,
    struct buf *out)
{
	struct val	 v;

	rec_get(rc, ref, &v);
	if (v.kind == V_TOK)
		jdoc_write(rc->doc, v.tok, out);
	else if (v.kind == V_BYTES)
		jw_str(out, v.p, v.n);
	else if (rc->doc != NULL && (v.tok = path_last(rc->doc, rc->root,
	    ref->path, ref->len)) >= 0)
		buf_addlit(out, "null");
	else
		buf_addlit(out, "absent");
}

