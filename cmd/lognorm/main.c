/*
 * lognorm - turn raw log lines into normalized event records.
 *
 * Reads JSON objects, kcat -J envelopes, pretty-printed JSON documents and
 * plain text lines from the files named (or standard input), recognises
 * each with the first matching rule (built in, or from rule files) and
 * writes one event record per line, or several when a rule's jq program
 * makes them.  What no rule recognises goes to the reject stream.  See
 * lognorm(1), lognorm-rules(5) and logproc(7).
 *
 * The story: options -> rules and templates, compiled once -> the reader
 * hands out lines; a line that opens a pretty-printed document gathers the
 * lines up to its end -> each record is normalized into out_buf -> summary
 * -> exit status.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"	/* LP_RULEDIR */
#include "json.h"
#include "lp.h"
#include "norm.h"
#include "opt.h"
#include "out.h"
#include "reader.h"
#include "reject.h"
#include "rule.h"
#include "tmpl.h"
#include "ts.h"

static const char builtin_rules[] =
#include "builtin_rules.h"
    ;

/* A multi-line document longer than this is read line by line instead. */
#define DOC_MAX		(64 * 1024 * 1024)

#define OPTSTRING	"d:hlnqr:st:Vx:y:z:"

/* Long options without a letter. */
enum { OPT_EXPLAIN = 256 };

static const struct option longopts[] = {
	{ "explain",	no_argument,	   NULL, OPT_EXPLAIN },
	{ "rules-dir",	required_argument, NULL, 'd' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "list-rules",	no_argument,	   NULL, 'l' },
	{ "no-builtin",	no_argument,	   NULL, 'n' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "rules",	required_argument, NULL, 'r' },
	{ "stats",	no_argument,	   NULL, 's' },
	{ "templates",	required_argument, NULL, 't' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ "reject",	required_argument, NULL, 'x' },
	{ "year",	required_argument, NULL, 'y' },
	{ "zone",	required_argument, NULL, 'z' },
	{ NULL, 0, NULL, 0 }
};

static struct ruleset	 rules = RULESET_INIT;
static struct tmpl	 templates;
static struct reject	 rej;
static struct norm	 norm;
static unsigned long	 nrecords;

/*
 * Honest counts for -s: what was written, not what was made.  Events wait
 * in out_buf until it is flushed; if that write fails, the records and
 * events it held were never written.  So the accepted records and events
 * are counted as pending until out_buf is next found empty: written if
 * output has not failed by then, else not.  A reject whose write to the
 * reject file failed is not counted as rejected either.
 */
static struct counts {
	unsigned long	 records, events;	/* written */
	unsigned long	 pend_records, pend_events;
	unsigned long	 lost_rejects;		/* not written to -x FILE */
} cnt;

static void
settle(void)
{
	if (out_buf.len > 0)
		return;
	if (!out_failed && !out_closed) {
		cnt.records += cnt.pend_records;
		cnt.events += cnt.pend_events;
	}
	cnt.pend_records = cnt.pend_events = 0;
}

/*
 * A pretty-printed JSON document spans lines: it opens with a line that is
 * a lone "{" or "[" and ends where the brackets balance again.  Its lines
 * are gathered here, with their numbers, until then.
 */
static struct doc {
	struct buf	 text;
	long		*lineno;	/* of each line gathered */
	size_t		 nlines, cap;
	unsigned	 input_no;
	const char	*input;
	long		 depth;
	bool		 in_string, escape;
} doc;

/*
 * A multi-line record (a rule's start pattern, lognorm-rules(5)): its
 * first line, then its continuation lines, gathered here with newlines
 * until a line does not continue it (it starts a record itself, it does
 * not match the rule's continue pattern, it would be one line too many,
 * it opens a JSON document), its input ends, or the input is about to
 * wait; then it is one record.
 */
static struct multi {
	struct buf	 text;
	size_t		 first;		/* the first line's length */
	long		 nlines;	/* 0: none pending */
	long		 line;		/* the first line's number */
	unsigned	 input_no;
	const char	*input;
	const struct rule *rule;	/* whose start it matched */
} ml;

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp, "usage: lognorm [-lnqsV] [--explain] [-d dir] [-r rules] "
	    "[-t templates]\n"
	    "               [-x rejects] [-y year] [-z zone] [file ...]\n");
	if (status != LP_EXIT_OK)
		exit(status);
	printf("\nNormalize raw log lines (JSON, kcat -J envelopes, text) into "
	    "event records.\n\n"
	    "  -d, --rules-dir=DIR   load every *.rules file in DIR\n"
	    "      --explain         for each record, on stderr, the rules "
	    "tried and why\n"
	    "                        each did not take it\n"
	    "  -l, --list-rules      list the rules in the order they are "
	    "tried, and exit\n"
	    "  -n, --no-builtin      do not use the built-in rules\n"
	    "  -q, --quiet           no progress report on a terminal\n"
	    "  -r, --rules=RULES     load rules from a file (a name with a "
	    "slash), or NAME\n"
	    "                        from the rules path\n"
	    "  -s, --stats           print a summary of counts on stderr at "
	    "exit, and the\n"
	    "                        records and events of each rule\n"
	    "  -t, --templates=CSV   tag events with loghub-style message "
	    "templates\n"
	    "  -x, --reject=FILE     write rejected lines to FILE as NDJSON\n"
	    "  -y, --year=YEAR       year for timestamps without one "
	    "(default: the last\n"
	    "                        year that does not put them in the "
	    "future)\n"
	    "  -z, --zone=OFFSET     zone of timestamps without one "
	    "(Z, +HH:MM, +HHMM;\n"
	    "                        default UTC)\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Exit status: 0 all accepted, 1 some rejected, 2 usage, "
	    "3 I/O failure.\n"
	    "See lognorm(1), lognorm-rules(5), logproc(7).\n");
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

static void
load_rules(const char *arg)
{
	struct buf	 msg = BUF_INIT;
	char		*path;

	if ((path = rule_find(arg)) == NULL) {
		if (strchr(arg, '/') != NULL)
			lp_errx(LP_EXIT_USAGE, "rules '%s': no such file", arg);
		rule_path(&msg);
		lp_errx(LP_EXIT_USAGE, "rules '%s': not found on the rules path "
		    "%s (to read a file here, name it with a slash: ./%s)", arg,
		    msg.p, arg);
	}
	if (!ruleset_add_file(&rules, path, &msg))
		lp_errx(LP_EXIT_USAGE, "%s", msg.p);
	free(path);
	buf_release(&msg);
}

static int
rules_name_filter(const struct dirent *d)
{
	size_t	 n = strlen(d->d_name);

	return n > 6 && strcmp(d->d_name + n - 6, ".rules") == 0;
}

static void
load_rules_dir(const char *dir)
{
	struct dirent	**names;
	struct buf	 path = BUF_INIT, msg = BUF_INIT;
	int		 n, i;

	if ((n = scandir(dir, &names, rules_name_filter, alphasort)) < 0) {
		lp_warn("%s", dir);
		exit(LP_EXIT_USAGE);
	}
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, names[i]->d_name);
		if (!ruleset_add_file(&rules, path.p, &msg))
			lp_errx(LP_EXIT_USAGE, "%s", msg.p);
		free(names[i]);
	}
	free(names);
	buf_release(&path);
	buf_release(&msg);
}

static void
list_rules(void)
{
	int	 i;

	for (i = 0; i < rules.nrules; i++) {
		const struct rule *r = &rules.rules[i];
		printf("%-20s %-5s priority %-4d %s:%d\n", r->name,
		    r->is_text ? "text" : "json", r->priority, r->file,
		    r->line);
	}
}

static void
record(const char *input, long line, char *text, size_t len)
{
	unsigned long	 rejects = rej.count;
	bool		 failed = rej.failed;
	int		 n;

	settle();	/* the reader may have flushed while it waited */
	nrecords++;
	n = norm_record(&norm, input, line, text, len, &out_buf);
	if (rej.failed && !failed)
		cnt.lost_rejects += rej.count - rejects;
	if (n > 0) {
		cnt.pend_records++;
		cnt.pend_events += (unsigned long)n;
	}
	out_commit();
	settle();
}

/* The pending multi-line record, normalized (nothing when none). */
static void
multi_end(void)
{
	if (ml.nlines == 0)
		return;
	norm.cont = ml.nlines > 1 ? ml.text.p + ml.first + 1 : NULL;
	norm.contlen = ml.nlines > 1 ? ml.text.len - ml.first - 1 : 0;
	norm.firstlen = ml.first;
	record(ml.input, ml.line, ml.text.p, ml.text.len);
	norm.cont = NULL;
	norm.contlen = norm.firstlen = 0;
	ml.nlines = 0;
	buf_reset(&ml.text);
}

/* Before a read that would wait: a record that waits for more lines is
 * one now (a writer writes a stack trace at once, not line by line). */
static void
wait_hook(void)
{
	if (!out_closed)
		multi_end();
	out_wait();
}

static bool
opens_document(const char *p, size_t n)
{
	/* at once for nearly every line: it starts with something else, or
	 * with a bracket that something other than a blank follows */
	if (n == 0)
		return false;
	if (*p == '{' || *p == '[') {
		if (n > 1 && p[1] != ' ' && p[1] != '\t')
			return false;
	} else if (*p != ' ' && *p != '\t')
		return false;
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n == 1 && (*p == '{' || *p == '[');
}

/* Track the bracket depth of a document's text outside strings. */
static void
doc_scan(const char *p, size_t n)
{
	for (; n > 0; p++, n--) {
		if (doc.in_string) {
			if (doc.escape)
				doc.escape = false;
			else if (*p == '\\')
				doc.escape = true;
			else if (*p == '"')
				doc.in_string = false;
		} else if (*p == '"')
			doc.in_string = true;
		else if (*p == '{' || *p == '[')
			doc.depth++;
		else if (*p == '}' || *p == ']')
			doc.depth--;
	}
}

/*
 * The gathered document is complete (or its input ended): one record if
 * it is JSON, otherwise (a stray "{" line, a document cut short) each of
 * its lines on its own, so that a broken document costs its own lines and
 * no others.
 */
static void
doc_end(void)
{
	char	*p, *e, *nl;
	size_t	 i;

	if (doc.nlines == 0)
		return;
	if (jdoc_parse(&norm.doc, doc.text.p, doc.text.len))
		record(doc.input, doc.lineno[0], doc.text.p, doc.text.len);
	else
		for (i = 0, p = doc.text.p, e = p + doc.text.len;
		    i < doc.nlines && !out_closed; i++, p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
				nl = e;
			record(doc.input, doc.lineno[i], p, (size_t)(nl - p));
		}
	doc.nlines = 0;
	buf_reset(&doc.text);
}

/* After each event of a jq program: write them as they come. */
static bool
commit(void)
{
	out_commit();
	return !out_closed && !out_failed;
}

/* One line from the reader: a record, or part of a document. */
static void
line(struct record *rec)
{
	/* A UTF-8 byte-order mark before an input's first line is not data. */
	if (rec->line == 1 && rec->len >= 3 &&
	    memcmp(rec->text, "\xef\xbb\xbf", 3) == 0) {
		rec->text += 3;
		rec->len -= 3;
	}
	if (doc.nlines > 0 && rec->input_no != doc.input_no)
		doc_end();	/* its input ended inside it */
	if (ml.nlines > 0 && (rec->input_no != ml.input_no ||
	    opens_document(rec->text, rec->len) ||
	    !rule_continues(&rules, ml.rule, rec->text, rec->len,
	    ml.nlines)))
		multi_end();
	if (ml.nlines > 0) {
		buf_addc(&ml.text, '\n');
		buf_add(&ml.text, rec->text, rec->len);
		ml.nlines++;
		return;
	}
	if (doc.nlines == 0 && rules.nmulti > 0 &&
	    (ml.rule = ruleset_starts(&rules, rec->text, rec->len)) != NULL) {
		buf_add(&ml.text, rec->text, rec->len);
		if (ml.text.p == NULL)
			buf_grow(&ml.text, 0);
		ml.first = rec->len;
		ml.nlines = 1;
		ml.line = rec->line;
		ml.input = rec->input;
		ml.input_no = rec->input_no;
		return;
	}
	if (doc.nlines == 0 && !opens_document(rec->text, rec->len)) {
		record(rec->input, rec->line, rec->text, rec->len);
		return;
	}
	if (doc.nlines == 0) {
		doc.input = rec->input;
		doc.input_no = rec->input_no;
		doc.depth = 0;
		doc.in_string = doc.escape = false;
	} else
		buf_addc(&doc.text, '\n');
	xgrow(&doc.lineno, &doc.cap, doc.nlines + 1, sizeof(*doc.lineno));
	doc.lineno[doc.nlines++] = rec->line;
	buf_add(&doc.text, rec->text, rec->len);
	doc_scan(rec->text, rec->len);
	if (doc.depth <= 0 || doc.text.len > DOC_MAX)
		doc_end();
}

/* What the options ask for; rules are loaded later, in option order. */
static struct config {
	struct ts_opts	 tso;
	const char	*rejpath, *tmplpath;
	bool		 list, builtin, stats, quiet, explain;
} cfg = { .builtin = true };

static char **
options(int argc, char *argv[])
{
	int	 ch;

	while ((ch = getopt_long(argc, argv, OPTSTRING, longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': case 'r':
			break;
		case OPT_EXPLAIN:
			cfg.explain = true;
			break;
		case 'h':
			usage(LP_EXIT_OK);
		case 'l':
			cfg.list = true;
			break;
		case 'n':
			cfg.builtin = false;
			break;
		case 'q':
			cfg.quiet = true;
			break;
		case 's':
			cfg.stats = true;
			break;
		case 't':
			cfg.tmplpath = optarg;
			break;
		case 'V':
			lp_version("lognorm");
		case 'x':
			cfg.rejpath = optarg;
			break;
		case 'y':
			cfg.tso.year = (int)opt_num(optarg, 1, 9999, "year");
			break;
		case 'z':
			cfg.tso.zone_min = opt_zone(optarg);
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	return argv + optind;
}

/* The built-in rules, then -r and -d in the order given. */
static void
rules_load(int argc, char *argv[])
{
	struct buf	 msg = BUF_INIT;
	int		 ch;

	if (cfg.builtin && !ruleset_add_text(&rules, "(built-in)",
	    builtin_rules, sizeof(builtin_rules) - 1, true, &msg))
		lp_errx(LP_EXIT_FAIL, "%s", msg.p);
	optind = 1;
	while ((ch = getopt_long(argc, argv, OPTSTRING, longopts, NULL)) != -1)
		if (ch == 'r')
			load_rules(optarg);
		else if (ch == 'd')
			load_rules_dir(optarg);
	ruleset_finish(&rules);
	if (!cfg.list && rules.nrules == 0)
		lp_errx(LP_EXIT_USAGE, "no rules (-n given and no -r or -d)");
	if (cfg.tmplpath != NULL && !tmpl_load(&templates, cfg.tmplpath,
	    &msg))
		lp_errx(LP_EXIT_USAGE, "%s", msg.p);
	buf_release(&msg);
}

static void
summary(const struct reader *rd)
{
	unsigned long	 unwritten;
	int		 i;

	unwritten = norm.records - cnt.records + cnt.lost_rejects;
	fprintf(stderr, "lognorm: %lu lines, %lu blank, %lu records, "
	    "%lu accepted, %lu rejected, %lu events", rd->lines, rd->blank,
	    nrecords, cnt.records,
	    rej.count - cnt.lost_rejects - norm.out_rejects, cnt.events);
	if (norm.out_rejects > 0)
		fprintf(stderr, ", %lu outputs rejected", norm.out_rejects);
	if (unwritten > 0)
		fprintf(stderr, ", %lu not written", unwritten);
	fputc('\n', stderr);
	reject_summary(&rej, stderr);
	/* what each rule took, in the order they are tried */
	fprintf(stderr, "lognorm: records and events by rule:\n");
	for (i = 0; i < rules.nrules; i++)
		fprintf(stderr, "  %10lu  %10lu  %s\n", norm.hit_records[i],
		    norm.hit_events[i], rules.rules[i].name);
}

static void
release(void)
{
	norm_release(&norm);
	tmpl_release(&templates);
	ruleset_release(&rules);
	buf_release(&doc.text);
	free(doc.lineno);
	buf_release(&ml.text);
}

int
main(int argc, char *argv[])
{
	struct reader	 rd;
	struct record	 rec;
	char		**files;
	int		 rval;

	lp_init("lognorm");
	files = options(argc, argv);
	rules_load(argc, argv);
	if (cfg.list) {
		list_rules();
		release();
		return fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL;
	}
	reject_open_option(&rej, "lognorm", cfg.rejpath, files);
	norm_init(&norm, &rules, &cfg.tso, cfg.tmplpath ? &templates : NULL,
	    &rej);
	norm.commit = commit;
	if (cfg.explain)
		norm.explain = stderr;

	reader_init(&rd, "lognorm", files, &rej,
	    READER_LINES | (cfg.quiet ? READER_QUIET : 0));
	rd.wait = wait_hook;
	while (reader_next(&rd, &rec))
		if (rd.in.error != 0) {
			/* A read error cut this last line short (input.h):
			 * not a record to normalize as if whole. */
			multi_end();
			doc_end();
			nrecords++;
			reject_add(&rej, rec.input, rec.line, rec.text, rec.len,
			    "read error: the line was cut short (%s)",
			    strerror(rd.in.error));
		} else
			line(&rec);
	if (!out_closed) {
		multi_end();
		doc_end();	/* unterminated at the end of the input */
	}
	rval = rd.status;
	reader_release(&rd);

	if (!out_close())
		rval = LP_EXIT_FAIL;
	settle();
	if (cfg.stats)
		summary(&rd);
	if (rej.count > 0 && rval == LP_EXIT_OK)
		rval = LP_EXIT_REJECT;
	if (!reject_close(&rej))
		rval = LP_EXIT_FAIL;
	release();
	return lp_exit(rval);
}
