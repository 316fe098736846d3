/*
 * rule.c - reading lognorm rule files, finding them, and the ruleset; see
 * rule.h and lognorm-rules(5).  compile.c compiles each rule.
 *
 * The reader is line-based: "[name]" opens a rule, "key = value" sets
 * something in it, and a line that starts with white space continues the
 * value before it.  Each rule is compiled as soon as it is complete, so an
 * error names the rule's file and line.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"	/* LP_RULEDIR: made by the Makefile */
#include "jw.h"
#include "lp.h"
#include "rule.h"


/* A rule being read: its keys in order, compiled at the end. */
struct pending {
	struct rule	 r;
	struct buf	*err;
	const char	*file;
	bool		 failed;
};

static int	 load_order;

static void	value_release(struct value *);
static void	pred_release(struct pred *);

static bool
perr(struct pending *pd, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool
perr(struct pending *pd, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[1024];

	if (pd->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_reset(pd->err);
	buf_addf(pd->err, "%s:%d: %s", pd->file, line, msg);
	pd->failed = true;
	return false;
}

void
ref_init(struct ref *ref, const char *s, size_t n, int line)
{
	const char *dot = memchr(s, '.', n);

	ref->path = xmemdup(s, n);
	ref->len = n;
	ref->headlen = dot ? (size_t)(dot - s) : n;
	ref->group = -1;
	ref->line = line;
	ref->id = 0;
}

static bool
is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '@' ||
	    c == ':' || c == '/';
}

/*
 * Record that a mapping takes the record's field ref, so that it is not
 * also copied into attrs.  Only a whole top-level field is taken: after
 * "$a.b" the rest of "a" may matter, so "a" stays in attrs, whole.
 */
void
add_used(struct rule *r, const struct ref *ref)
{
	int	 i;

	if (ref->headlen != ref->len)
		return;
	for (i = 0; i < r->nused; i++)
		if (r->usedlen[i] == ref->headlen &&
		    memcmp(r->used[i], ref->path, ref->headlen) == 0)
			return;
	r->used = xreallocarray(r->used, (size_t)r->nused + 1, sizeof(char *));
	r->usedlen = xreallocarray(r->usedlen, (size_t)r->nused + 1,
	    sizeof(size_t));
	r->used[r->nused] = xmemdup(ref->path, ref->headlen);
	r->usedlen[r->nused] = ref->headlen;
	r->nused++;
}

/*
 * A mapping value: null, $ref, "quoted ${interpolated}", or a bare
 * constant (which may interpolate too).
 */
static bool
parse_value(struct pending *pd, int line, const char *s, size_t n,
    struct value *v)
{
	struct buf	 lit = BUF_INIT;
	const char	*p = s, *e = s + n, *q;
	int		 i;

	memset(v, 0, sizeof(*v));
	if (n == 4 && memcmp(s, "null", 4) == 0) {
		v->kind = VAL_NULL;
		return true;
	}
	if (n > 1 && s[0] == '$' && s[1] != '{') {
		for (q = s + 1; q < e && is_name_char((unsigned char)*q); q++)
			;
		if (q != e)
			return perr(pd, line, "bad field reference '%.*s'",
			    (int)n, s);
		v->kind = VAL_REF;
		ref_init(&v->ref, s + 1, n - 1, line);
		return true;
	}
	if (n >= 2 && s[0] == '"') {
		if (s[n - 1] != '"')
			return perr(pd, line, "unterminated string");
		p = s + 1;
		e = s + n - 1;
	}
	v->kind = VAL_CONST;
	while (p < e) {
		if (*p == '\\' && p + 1 < e && s[0] == '"') {
			switch (p[1]) {
			case 'n': buf_addc(&lit, '\n'); break;
			case 't': buf_addc(&lit, '\t'); break;
			default: buf_addc(&lit, p[1]); break;
			}
			p += 2;
			continue;
		}
		if (*p == '$' && p + 1 < e && p[1] == '{') {
			if ((q = memchr(p, '}', (size_t)(e - p))) == NULL) {
				buf_release(&lit);
				value_release(v);
				memset(v, 0, sizeof(*v));
				return perr(pd, line, "unterminated ${");
			}
			v->kind = VAL_TEMPLATE;
			v->pieces = xreallocarray(v->pieces,
			    (size_t)v->npieces + 2, sizeof(struct piece));
			if (lit.len > 0) {
				memset(&v->pieces[v->npieces], 0,
				    sizeof(struct piece));
				v->pieces[v->npieces].lit =
				    xmemdup(lit.p, lit.len);
				v->pieces[v->npieces++].litlen = lit.len;
				buf_reset(&lit);
			}
			memset(&v->pieces[v->npieces], 0, sizeof(struct piece));
			ref_init(&v->pieces[v->npieces++].ref, p + 2,
			    (size_t)(q - p - 2), line);
			p = q + 1;
			continue;
		}
		buf_addc(&lit, *p++);
	}
	if (v->kind == VAL_TEMPLATE) {
		if (lit.len > 0) {
			v->pieces = xreallocarray(v->pieces,
			    (size_t)v->npieces + 1, sizeof(struct piece));
			memset(&v->pieces[v->npieces], 0, sizeof(struct piece));
			v->pieces[v->npieces].lit = xmemdup(lit.p, lit.len);
			v->pieces[v->npieces++].litlen = lit.len;
		}
		buf_release(&lit);
		/* its literal text needs no escaping: then neither does the
		 * whole, made of a plain line's captures (fields.c) */
		v->plain = true;
		for (i = 0; i < v->npieces; i++)
			if (v->pieces[i].lit != NULL && !jw_plain(v->pieces[i].lit,
			    v->pieces[i].litlen))
				v->plain = false;
		return true;
	}
	v->str = buf_detach(&lit, &v->len);
	v->plain = jw_plain(v->str ? v->str : "", v->len);
	return true;
}

/* "FIELD", "!FIELD", "FIELD == VALUE", "FIELD != VALUE" */
static bool
parse_pred(struct pending *pd, int line, const char *s, size_t n,
    struct pred *pr)
{
	const char	*e = s + n, *op, *v;
	size_t		 fl;
	struct value	 val;

	memset(pr, 0, sizeof(*pr));
	pr->text = xmemdup(s, n);
	op = NULL;
	for (v = s; v + 1 < e; v++)
		if ((v[0] == '=' || v[0] == '!') && v[1] == '=') {
			op = v;
			break;
		}
	if (op == NULL) {
		pr->op = PRED_PRESENT;
		if (n > 0 && s[0] == '!') {
			pr->op = PRED_ABSENT;
			s++, n--;
		}
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == 0)
			return perr(pd, line, "empty match");
		ref_init(&pr->ref, s, n, line);
		return true;
	}
	pr->op = op[0] == '=' ? PRED_EQ : PRED_NE;
	fl = (size_t)(op - s);
	while (fl > 0 && isspace((unsigned char)s[fl - 1]))
		fl--;
	if (fl == 0)
		return perr(pd, line, "match has no field");
	ref_init(&pr->ref, s, fl, line);
	v = op + 2;
	while (v < e && isspace((unsigned char)*v))
		v++;
	n = (size_t)(e - v);
	if (n == 0)
		return perr(pd, line, "match has no value");
	if (*v == '"') {
		if (!parse_value(pd, line, v, n, &val))
			return false;
		if (val.kind != VAL_CONST) {
			value_release(&val);
			return perr(pd, line, "match value cannot interpolate");
		}
		pr->is_string = true;
		pr->str = val.str;
		pr->len = val.len;
	} else if ((n == 4 && memcmp(v, "true", 4) == 0) ||
	    (n == 5 && memcmp(v, "false", 5) == 0) ||
	    (n == 4 && memcmp(v, "null", 4) == 0)) {
		pr->json = xmemdup(v, n);
		pr->jsonlen = n;
		pr->str = xmemdup(v, n);	/* as text, for captures */
		pr->len = n;
	} else {
		char *end;
		char *tmp = xmemdup(v, n);
		(void)strtod(tmp, &end);
		if (*end == '\0' && (isdigit((unsigned char)*v) || *v == '-')) {
			pr->json = tmp;
			pr->jsonlen = n;
		} else
			free(tmp);
		/* A bare word (or a number, for text captures) as a string. */
		pr->is_string = pr->json == NULL;
		pr->str = xmemdup(v, n);
		pr->len = n;
	}
	return true;
}


bool
rule_drops(const struct rule *r, const char *name, size_t n)
{
	int	 i;

	for (i = 0; i < r->ndrops; i++)
		if (strlen(r->drops[i]) == n && memcmp(r->drops[i], name, n) == 0)
			return true;
	return false;
}

static void
ruleset_push(struct ruleset *rs, struct rule *r)
{
	rs->rules = xreallocarray(rs->rules, (size_t)rs->nrules + 1,
	    sizeof(*rs->rules));
	rs->rules[rs->nrules++] = *r;
	if (r->is_text)
		rs->ntext++;
}

static void	rule_release(struct rule *);

/* Finish the pending rule: compile and add it, or report why not. */
static bool
pending_end(struct pending *pd, struct ruleset *rs, struct buf *pattern,
    int pline)
{
	bool	 ok;

	if (pd->r.name == NULL)
		return true;
	if (pd->failed)
		ok = false;
	else
		ok = rule_compile(&pd->r, pattern->len ? pattern->p : NULL,
		    pline, pd->err);
	if (ok)
		ruleset_push(rs, &pd->r);
	else
		rule_release(&pd->r);
	memset(&pd->r, 0, sizeof(pd->r));
	buf_reset(pattern);
	return ok;
}

/* A whole number in [min, max] as the value of key. */
static bool
key_num(struct pending *pd, int line, const char *key, size_t kl,
    const char *val, size_t vl, long min, long max, long *out)
{
	char	*tmp = xmemdup(val, vl), *end;
	long	 l;
	bool	 ok;

	errno = 0;
	l = strtol(tmp, &end, 10);
	ok = *tmp != '\0' && *end == '\0' && errno == 0 && l >= min &&
	    l <= max;
	free(tmp);
	if (!ok)
		return perr(pd, line, "bad %.*s '%.*s' (%ld to %ld)", (int)kl,
		    key, (int)vl, val, min, max);
	*out = l;
	return true;
}

/* Apply one "key = value" to the pending rule. */
static bool
rule_key(struct pending *pd, struct buf *pattern, int *pline, int line,
    const char *key, size_t kl, const char *val, size_t vl)
{
	struct rule	*r = &pd->r;
	int		 f;
	long		 l;

#define KEY(s)	(kl == sizeof(s) - 1 && memcmp(key, s, kl) == 0)
	if (KEY("decode")) {
		static const struct { const char *name; enum decoder d; }
		    decoders[] = {
			{ "logfmt", DECODE_LOGFMT },
			{ "otlp-traces", DECODE_OTLP_TRACES },
			{ "otlp-logs", DECODE_OTLP_LOGS },
			{ "zipkin", DECODE_ZIPKIN },
			{ "zipkin-span", DECODE_ZIPKIN_SPAN },
			{ "jaeger", DECODE_JAEGER },
			{ "jaeger-trace", DECODE_JAEGER_TRACE },
		};
		size_t i;
		if (r->is_text || r->decode != DECODE_NONE)
			return perr(pd, line, "rule '%s' has two patterns",
			    r->name);
		for (i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++)
			if (strlen(decoders[i].name) == vl &&
			    memcmp(val, decoders[i].name, vl) == 0)
				break;
		if (i == sizeof(decoders) / sizeof(decoders[0]))
			return perr(pd, line, "rule '%s': unknown decoder "
			    "'%.*s' (logfmt, otlp-traces, otlp-logs, zipkin, "
			    "zipkin-span, jaeger, jaeger-trace)", r->name, (int)vl, val);
		r->decode = decoders[i].d;
		/* logfmt reads text lines; the others JSON records */
		r->is_text = r->decode == DECODE_LOGFMT;
		return true;
	}
	if (KEY("text") || KEY("header")) {
		if (r->is_text || r->decode != DECODE_NONE)
			return perr(pd, line, "rule '%s' has two patterns",
			    r->name);
		if (vl == 0)
			return perr(pd, line, "rule '%s': empty %.*s", r->name,
			    (int)kl, key);
		r->is_text = true;
		*pline = line;
		if (KEY("text"))
			buf_add(pattern, val, vl);
		else
			header_to_regex(val, vl, pattern);
		return true;
	}
	if (KEY("start") || KEY("continue")) {
		char **src = KEY("start") ? &r->startsrc : &r->contsrc;
		if (*src != NULL)
			return perr(pd, line, "rule '%s' has two %.*s patterns",
			    r->name, (int)kl, key);
		if (vl == 0)
			return perr(pd, line, "rule '%s': empty %.*s", r->name,
			    (int)kl, key);
		*src = xmemdup(val, vl);
		*(KEY("start") ? &r->startline : &r->contline) = line;
		return true;
	}
	if (KEY("max_lines")) {
		if (!key_num(pd, line, key, kl, val, vl, 1, 100000, &l))
			return false;
		r->max_lines = l;
		return true;
	}
	if (KEY("match")) {
		r->preds = xreallocarray(r->preds, (size_t)r->npreds + 1,
		    sizeof(*r->preds));
		if (!parse_pred(pd, line, val, vl, &r->preds[r->npreds])) {
			pred_release(&r->preds[r->npreds]);
			return false;
		}
		r->npreds++;
		return true;
	}
	if (KEY("jq")) {
		if (r->jqsrc != NULL)
			return perr(pd, line, "rule '%s' has two jq programs",
			    r->name);
		r->jqsrc = xmemdup(val, vl);
		r->jqline = line;
		return true;
	}
	if (KEY("priority")) {
		if (!key_num(pd, line, key, kl, val, vl, -1000000, 1000000, &l))
			return false;
		r->priority = (int)l;
		return true;
	}
	if (KEY("match_limit")) {
		if (!key_num(pd, line, key, kl, val, vl, 1, 100000000, &l))
			return false;
		r->match_limit = (uint32_t)l;
		return true;
	}
	if (KEY("depth_limit")) {
		if (!key_num(pd, line, key, kl, val, vl, 1, 100000000, &l))
			return false;
		r->depth_limit = (uint32_t)l;
		return true;
	}
	if (KEY("jq_max_events")) {
		if (!key_num(pd, line, key, kl, val, vl, 1, 1000000000, &l))
			return false;
		r->jq_max_events = l;
		return true;
	}
	if (KEY("jq_max_bytes")) {
		if (!key_num(pd, line, key, kl, val, vl, 1024, 1L << 40, &l))
			return false;
		r->jq_max_bytes = (size_t)l;
		return true;
	}
	if (KEY("jq_timeout")) {
		if (!key_num(pd, line, key, kl, val, vl, 0, 86400, &l))
			return false;
		r->jq_timeout = (unsigned)l;
		return true;
	}
	if (KEY("time_format")) {
		free(r->time_format);
		r->time_format = xmemdup(val, vl);
		return true;
	}
	if (KEY("drop")) {
		const char *p = val, *e = val + vl, *q;
		while (p < e) {
			while (p < e && isspace((unsigned char)*p))
				p++;
			for (q = p; q < e && !isspace((unsigned char)*q); q++)
				;
			if (q > p && memchr(p, '.', (size_t)(q - p)) != NULL)
				return perr(pd, line, "drop takes top-level field "
				    "names, not '%.*s'", (int)(q - p), p);
			if (q > p) {
				struct ref ref;
				r->drops = xreallocarray(r->drops,
				    (size_t)r->ndrops + 1, sizeof(char *));
				r->drops[r->ndrops++] = xmemdup(p,
				    (size_t)(q - p));
				ref_init(&ref, p, (size_t)(q - p), line);
				add_used(r, &ref);
				free(ref.path);
			}
			p = q;
		}
		return true;
	}
	r->maps = xreallocarray(r->maps, (size_t)r->nmaps + 1,
	    sizeof(*r->maps));
	memset(&r->maps[r->nmaps], 0, sizeof(r->maps[0]));
	if (kl > 6 && memcmp(key, "attrs.", 6) == 0) {
		r->maps[r->nmaps].field = -1;
		r->maps[r->nmaps].attr = xmemdup(key + 6, kl - 6);
	} else if ((f = event_field_lookup(key, kl)) >= 0) {
		r->maps[r->nmaps].field = f;
	} else
		return perr(pd, line, "rule '%s': unknown key '%.*s'", r->name,
		    (int)kl, key);
#undef KEY
	if (!parse_value(pd, line, val, vl, &r->maps[r->nmaps].val)) {
		free(r->maps[r->nmaps].attr);
		return false;
	}
	r->nmaps++;
	return true;
}

bool
ruleset_add_text(struct ruleset *rs, const char *name, const char *text,
    size_t len, bool builtin, struct buf *errmsg)
{
	struct pending	 pd;
	struct buf	 pattern = BUF_INIT, val = BUF_INIT;
	const char	*p = text, *e = text + len, *nl, *s, *q, *eq;
	const char	*key = NULL;
	size_t		 kl = 0;
	int		 line = 0, keyline = 0, pline = 0;
	bool		 ok = true;

	memset(&pd, 0, sizeof(pd));
	pd.err = errmsg;
	pd.file = name;
	/* A NUL byte would cut the C strings made of the text short while
	 * their lengths live on: refuse it. */
	if ((q = memchr(text, '\0', len)) != NULL) {
		for (s = text; (s = memchr(s, '\n', (size_t)(q - s))) != NULL;
		    s++)
			line++;
		return perr(&pd, line + 1, "NUL byte");
	}
	for (; ok && p <= e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL)
			nl = e;
		line++;
		q = nl;
		while (q > p && isspace((unsigned char)q[-1]))
			q--;
		s = p;
		while (s < q && isspace((unsigned char)*s))
			s++;
		/* A continuation line: appended to the value being read. */
		if (s > p && s < q && key != NULL) {
			buf_addc(&val, '\n');
			buf_add(&val, s, (size_t)(q - s));
			if (nl == e)
				break;
			continue;
		}
		if (s < q && *s == '#' && s == p) {
			if (nl == e)
				break;
			continue;
		}
		if (key != NULL) {
			ok = rule_key(&pd, &pattern, &pline, keyline, key, kl,
			    val.p ? val.p : "", val.len);
			key = NULL;
			if (!ok)
				break;
		}
		if (s == q || *s == '#') {
			if (nl == e)
				break;
			continue;
		}
		if (*s == '[') {
			if (q[-1] != ']' || q - s < 3) {
				ok = perr(&pd, line, "bad rule header");
				break;
			}
			if (!(ok = pending_end(&pd, rs, &pattern, pline)))
				break;
			for (eq = s + 1; eq < q - 1; eq++)
				if (!isalnum((unsigned char)*eq) && *eq != '_' &&
				    *eq != '-' && *eq != '.')
					break;
			if (eq != q - 1) {
				ok = perr(&pd, line, "bad rule name '%.*s'",
				    (int)(q - s - 2), s + 1);
				break;
			}
			pd.r.name = xmemdup(s + 1, (size_t)(q - s - 2));
			pd.r.file = xmemdup(name, strlen(name));
			pd.r.line = line;
			pd.r.builtin = builtin;
			pd.r.order = load_order++;
			pd.r.match_limit = RULE_MATCH_LIMIT;
			pd.r.depth_limit = RULE_DEPTH_LIMIT;
			pd.r.jq_max_events = RULE_JQ_MAX_EVENTS;
			pd.r.jq_max_bytes = RULE_JQ_MAX_BYTES;
			pd.r.jq_timeout = RULE_JQ_TIMEOUT;
			pd.r.max_lines = RULE_MAX_LINES;
			pd.failed = false;
		} else {
			if (pd.r.name == NULL) {
				ok = perr(&pd, line, "key outside a rule "
				    "(expected '[name]')");
				break;
			}
			if ((eq = memchr(s, '=', (size_t)(q - s))) == NULL) {
				ok = perr(&pd, line, "expected 'key = value'");
				break;
			}
			key = s;
			for (kl = (size_t)(eq - s); kl > 0 &&
			    isspace((unsigned char)s[kl - 1]); kl--)
				;
			if (kl == 0) {
				ok = perr(&pd, line, "missing key before '='");
				break;
			}
			for (eq++; eq < q && isspace((unsigned char)*eq); eq++)
				;
			buf_reset(&val);
			buf_add(&val, eq, (size_t)(q - eq));
			keyline = line;
		}
		if (nl == e)
			break;
	}
	if (ok && key != NULL)
		ok = rule_key(&pd, &pattern, &pline, keyline, key, kl,
		    val.p ? val.p : "", val.len);
	if (ok)
		ok = pending_end(&pd, rs, &pattern, pline);
	else
		pending_end(&pd, rs, &pattern, pline);
	buf_release(&pattern);
	buf_release(&val);
	return ok;
}

bool
ruleset_add_file(struct ruleset *rs, const char *path, struct buf *errmsg)
{
	struct buf	 text = BUF_INIT;
	bool		 ok;

	if (!buf_read_file(&text, path)) {
		buf_reset(errmsg);
		buf_addf(errmsg, "%s: %s", path, strerror(errno));
		buf_release(&text);
		return false;
	}
	ok = ruleset_add_text(rs, path, text.p, text.len, false, errmsg);
	buf_release(&text);
	return ok;
}

static bool
is_file(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void
rule_path(struct buf *out)
{
	const char	*env = getenv("LOGPROC_RULES"), *exe = lp_exe_dir();

	buf_reset(out);
	if (env != NULL && *env != '\0')
		buf_addf(out, "%s:", env);
	if (exe != NULL)
		/* installed beside the executable, or in a build tree
		 * (build/bin/lognorm and rules/) */
		buf_addf(out, "%s/../share/logproc/rules:%s/../../rules:", exe,
		    exe);
	buf_adds(out, LP_RULEDIR);
}

char *
rule_find(const char *arg)
{
	struct buf	 path = BUF_INIT, b = BUF_INIT;
	const char	*p, *c;
	bool		 found;

	if (strchr(arg, '/') != NULL)
		return is_file(arg) ? xstrdup(arg) : NULL;
	if (*arg == '\0' || strcmp(arg, ".") == 0 || strcmp(arg, "..") == 0)
		return NULL;
	rule_path(&path);
	for (p = path.p; *p != '\0'; p = *c ? c + 1 : c) {
		if ((c = strchr(p, ':')) == NULL)
			c = p + strlen(p);
		if (c == p)
			continue;
		buf_reset(&b);
		buf_addf(&b, "%.*s/%s.rules", (int)(c - p), p, arg);
		if (is_file(b.p))
			break;
		buf_reset(&b);
		buf_addf(&b, "%.*s/%s", (int)(c - p), p, arg);
		if (is_file(b.p))
			break;
	}
	found = *p != '\0';	/* p points into path */
	buf_release(&path);
	if (!found) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->specificity != y->specificity)
		return x->specificity > y->specificity ? -1 : 1;
	if (x->builtin != y->builtin)
		return x->builtin ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void
ruleset_finish(struct ruleset *rs)
{
	uint32_t	 most = 1, c;
	int		 i;

	if (rs->nrules > 1)
		qsort(rs->rules, (size_t)rs->nrules, sizeof(*rs->rules),
		    rule_cmp);
	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i].re != NULL) {
			pcre2_pattern_info(rs->rules[i].re,
			    PCRE2_INFO_CAPTURECOUNT, &c);
			if (c + 1 > most)
				most = c + 1;
		}
	if (rs->md != NULL)
		pcre2_match_data_free(rs->md);
	rs->md = pcre2_match_data_create(most, NULL);
	if (rs->md == NULL)
		errx(LP_EXIT_FAIL, "pcre2_match_data_create failed");
	if (rs->jstack == NULL) {
		/* Lazy patterns on long lines want more than the 32K default. */
		rs->jstack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024,
		    NULL);
		rs->mctx = pcre2_match_context_create(NULL);
		if (rs->jstack == NULL || rs->mctx == NULL)
			errx(LP_EXIT_FAIL, "pcre2 context allocation failed");
		pcre2_jit_stack_assign(rs->mctx, NULL, rs->jstack);
	}
	free(rs->multi);
	rs->multi = NULL;
	rs->nmulti = 0;
	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i].start != NULL) {
			rs->multi = xreallocarray(rs->multi,
			    (size_t)rs->nmulti + 1, sizeof(int));
			rs->multi[rs->nmulti++] = i;
		}
	free(rs->needles);
	rs->needles = xreallocarray(NULL, (size_t)rs->nrules + 1,
	    sizeof(*rs->needles));
	rs->nneedles = 0;
	for (i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->is_text && r->decode == DECODE_NONE && r->needle != NULL)
			rs->needles[rs->nneedles++] = (struct lp_needle){
			    r->needle, r->needlelen, r->rare1, r->rare2, i };
	}
	ruleset_index(rs);
}

/* Whether pattern re matches line[0..n), under rs's limits. */
static bool
line_matches(const struct ruleset *rs, const struct rule *r,
    const pcre2_code *re, const char *line, size_t n)
{
	pcre2_set_match_limit(rs->mctx, r->match_limit);
	pcre2_set_depth_limit(rs->mctx, r->depth_limit);
	return pcre2_match(re, (PCRE2_SPTR)line, n, 0, 0, rs->md,
	    rs->mctx) >= 0;
}

const struct rule *
ruleset_starts(const struct ruleset *rs, const char *line, size_t n)
{
	int	 i;

	for (i = 0; i < rs->nmulti; i++)
		if (line_matches(rs, &rs->rules[rs->multi[i]],
		    rs->rules[rs->multi[i]].start, line, n))
			return &rs->rules[rs->multi[i]];
	return NULL;
}

bool
rule_continues(const struct ruleset *rs, const struct rule *r,
    const char *line, size_t n, long nlines)
{
	if (nlines >= r->max_lines || ruleset_starts(rs, line, n) != NULL)
		return false;
	return r->cont == NULL || line_matches(rs, r, r->cont, line, n);
}

static void
ref_release(struct ref *ref)
{
	free(ref->path);
}

static void
value_release(struct value *v)
{
	int	 i;

	free(v->str);
	ref_release(&v->ref);
	for (i = 0; i < v->npieces; i++) {
		free(v->pieces[i].lit);
		ref_release(&v->pieces[i].ref);
	}
	free(v->pieces);
}

static void
pred_release(struct pred *pr)
{
	free(pr->text);
	ref_release(&pr->ref);
	free(pr->json);
	free(pr->str);
}

static void
rule_release(struct rule *r)
{
	int	 i;

	free(r->name);
	free(r->jname);
	free(r->file);
	pcre2_code_free(r->re);
	free(r->needle);
	for (i = 0; i < r->npreds; i++)
		pred_release(&r->preds[i]);
	free(r->preds);
	if (r->jq != NULL)
		jq_teardown(&r->jq);
	free(r->jqsrc);
	for (i = 0; i < r->nmaps; i++) {
		free(r->maps[i].attr);
		aname_free(&r->maps[i].an);
		value_release(&r->maps[i].val);
	}
	free(r->maps);
	for (i = 0; i < r->ndrops; i++)
		free(r->drops[i]);
	free(r->drops);
	free(r->time_format);
	pcre2_code_free(r->start);
	pcre2_code_free(r->cont);
	free(r->startsrc);
	free(r->contsrc);
	for (i = 0; i < r->ncaps; i++) {
		free(r->caps[i].name);
		aname_free(&r->caps[i].an);
	}
	free(r->caps);
	for (i = 0; i < r->nused; i++)
		free(r->used[i]);
	free(r->used);
	free(r->usedlen);
	plan_free(r->plan);
}

void
ruleset_release(struct ruleset *rs)
{
	int	 i;

	ruleset_index_release(rs);
	for (i = 0; i < rs->nrules; i++)
		rule_release(&rs->rules[i]);
	free(rs->rules);
	free(rs->multi);
	free(rs->needles);
	if (rs->md != NULL)
		pcre2_match_data_free(rs->md);
	if (rs->mctx != NULL)
		pcre2_match_context_free(rs->mctx);
	if (rs->jstack != NULL)
		pcre2_jit_stack_free(rs->jstack);
	memset(rs, 0, sizeof(*rs));
}
