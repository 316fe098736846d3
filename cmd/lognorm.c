/*
 * lognorm - turn raw log lines into normalized event records.
 *
 * Reads JSON objects, kcat -J envelopes, pretty-printed JSON documents and
 * plain text lines from the files named (or standard input), recognises
 * each with the first matching rule (built in, or from rule files) and
 * writes one event record per line, or several when a rule's jq program
 * makes them.  What no rule recognises goes to the reject stream.  See
 * lognorm(1), lognorm-rules(5) and logproc(7).
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "input.h"
#include "json.h"
#include "lp.h"
#include "norm.h"
#include "out.h"
#include "reject.h"
#include "rule.h"
#include "tmpl.h"
#include "ts.h"

static const char builtin_rules[] =
#include "builtin_rules.h"
    ;

static struct ruleset	 rules = RULESET_INIT;
static struct tmpl	 templates;
static struct reject	 rej;
static struct norm	 norm;
static unsigned long	 nlines, nrecords, nblank;

/* A multi-line document longer than this is read line by line instead. */
#define DOC_MAX		(64 * 1024 * 1024)
static int		 progress;	/* stderr is a terminal: show progress */
static int64_t		 last_report;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: lognorm [-lnqs] [-d dir] [-r rules] [-t templates] "
	    "[-x rejects]\n"
	    "               [-y year] [-z zone] [file ...]\n");
	exit(LP_EXIT_USAGE);
}

static void __attribute__((noreturn))
help(void)
{
	printf("usage: lognorm [-lnqs] [-d dir] [-r rules] [-t templates] "
	    "[-x rejects]\n"
	    "               [-y year] [-z zone] [file ...]\n\n"
	    "Normalize raw log lines (JSON, kcat -J envelopes, text) into "
	    "event records.\n\n"
	    "  -d, --rules-dir=DIR   load every *.rules file in DIR\n"
	    "  -l, --list-rules      list the rules in the order they are "
	    "tried, and exit\n"
	    "  -n, --no-builtin      do not use the built-in rules\n"
	    "  -q, --quiet           no progress report on a terminal\n"
	    "  -r, --rules=FILE      load rules from FILE, or NAME from the "
	    "rules path\n"
	    "  -s, --stats           print a summary of counts on stderr at "
	    "exit\n"
	    "  -t, --templates=CSV   tag events with loghub-style message "
	    "templates\n"
	    "  -x, --reject=FILE     write rejected lines to FILE as NDJSON\n"
	    "  -y, --year=YEAR       year for timestamps without one "
	    "(syslog)\n"
	    "  -z, --zone=OFFSET     zone of timestamps without one "
	    "(+HH:MM; default UTC)\n"
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

	if ((path = rule_find(arg)) == NULL)
		errx(LP_EXIT_USAGE, "rules '%s': no such file (searched "
		    "$LOGPROC_RULES and %s)", arg, LP_RULEDIR);
	if (!ruleset_add_file(&rules, path, &msg))
		errx(LP_EXIT_USAGE, "%s", msg.p);
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

	if ((n = scandir(dir, &names, rules_name_filter, alphasort)) < 0)
		err(LP_EXIT_USAGE, "%s", dir);
	for (i = 0; i < n; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, names[i]->d_name);
		if (!ruleset_add_file(&rules, path.p, &msg))
			errx(LP_EXIT_USAGE, "%s", msg.p);
		free(names[i]);
	}
	free(names);
	buf_release(&path);
	buf_release(&msg);
}

static int
parse_zone(const char *s)
{
	int	 sign, h, m = 0;
	char	*end;

	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0)
		return 0;
	if ((s[0] != '+' && s[0] != '-') || strlen(s) < 3)
		errx(LP_EXIT_USAGE, "invalid zone '%s' (expected +HH:MM)", s);
	sign = s[0] == '-' ? -1 : 1;
	h = (int)strtol(s + 1, &end, 10);
	if (end != s + 3)
		errx(LP_EXIT_USAGE, "invalid zone '%s' (expected +HH:MM)", s);
	if (*end == ':')
		end++;
	if (*end != '\0') {
		m = (int)strtol(end, &end, 10);
		if (*end != '\0')
			errx(LP_EXIT_USAGE, "invalid zone '%s' (expected "
			    "+HH:MM)", s);
	}
	if (h > 23 || m > 59)
		errx(LP_EXIT_USAGE, "invalid zone '%s'", s);
	return sign * (h * 60 + m);
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
report_progress(int done)
{
	int64_t	 now;

	if (!progress)
		return;
	if (done) {
		if (last_report != 0)
			fputs("\r\033[K", stderr);
		return;
	}
	now = lp_now_ms();
	if (last_report == 0) {
		last_report = now;
		return;
	}
	if (now - last_report < 1000)
		return;
	last_report = now;
	fprintf(stderr, "\rlognorm: %lu lines, %lu events, %lu rejected",
	    nlines, norm.events, rej.count);
}

/*
 * A pretty-printed JSON document spans lines: it opens with a line that is
 * a lone "{" or "[" and ends where the brackets balance again.
 */
struct docscan {
	long	 depth;
	int	 in_string;
	int	 escape;
};

static void
docscan_feed(struct docscan *ds, const char *p, size_t n)
{
	for (; n > 0; p++, n--) {
		if (ds->in_string) {
			if (ds->escape)
				ds->escape = 0;
			else if (*p == '\\')
				ds->escape = 1;
			else if (*p == '"')
				ds->in_string = 0;
		} else if (*p == '"')
			ds->in_string = 1;
		else if (*p == '{' || *p == '[')
			ds->depth++;
		else if (*p == '}' || *p == ']')
			ds->depth--;
	}
}

static int
is_blank(const char *p, size_t n)
{
	for (; n > 0; p++, n--)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\f' &&
		    *p != '\v')
			return 0;
	return 1;
}

static int
opens_document(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n == 1 && (*p == '{' || *p == '[');
}

static void
record(const char *name, long line, char *rec, size_t len)
{
	nrecords++;
	norm_record(&norm, name, line, rec, len, &out_buf);
	out_commit();
}

/*
 * A gathered multi-line document: one record if it is JSON, otherwise
 * (a stray "{" line, a document cut short) each of its lines on its own,
 * so that a broken document costs its own lines and no others.
 */
static void
document(const char *name, long first, struct buf *doc)
{
	char	*p, *e, *nl;
	long	 line = first;

	if (jdoc_parse(&norm.doc, doc->p, doc->len)) {
		record(name, first, doc->p, doc->len);
		return;
	}
	for (p = doc->p, e = doc->p + doc->len; p <= e && !out_closed;
	    p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		if (is_blank(p, (size_t)(nl - p)))
			nblank++;
		else
			record(name, line, p, (size_t)(nl - p));
	}
}

/* Normalize every record of one input; returns false on a read error. */
static bool
process(struct input *in)
{
	struct buf	 doc = BUF_INIT;
	struct docscan	 ds;
	long		 len = -1, docline = 0;
	char		*line;

	while (!out_closed && (len = input_line(in, &line)) >= 0) {
		nlines++;
		if ((nlines & 0xffff) == 0)
			report_progress(0);
		if (docline == 0 && is_blank(line, (size_t)len)) {
			nblank++;	/* no record: like jq, skip it */
			continue;
		}
		if (docline == 0 && !opens_document(line, (size_t)len)) {
			record(in->name, in->lineno, line, (size_t)len);
			continue;
		}
		if (docline == 0) {
			docline = in->lineno;
			memset(&ds, 0, sizeof(ds));
			buf_reset(&doc);
		} else
			buf_addc(&doc, '\n');
		buf_add(&doc, line, (size_t)len);
		docscan_feed(&ds, line, (size_t)len);
		if (ds.depth <= 0 || doc.len > DOC_MAX) {
			document(in->name, docline, &doc);
			docline = 0;
		}
	}
	if (docline != 0 && !out_closed)	/* unterminated at end of input */
		document(in->name, docline, &doc);
	buf_release(&doc);
	if (len == -2) {
		warn("%s", in->name);
		return false;
	}
	return true;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
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
	struct ts_opts	 tso = { 0, 0 };
	struct input	 in;
	struct buf	 msg = BUF_INIT;
	const char	*rejpath = NULL, *tmplpath = NULL;
	const char	*stdin_only[] = { "-", NULL };
	char		**files, *end;
	int		 ch, list = 0, builtin = 1, stats = 0, quiet = 0;
	int		 rval = LP_EXIT_OK;
	long		 y;

	lp_init();
	/* Rules are loaded in option order, after the built-ins. */
	while ((ch = getopt_long(argc, argv, "d:hlnqr:st:Vx:y:z:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd': case 'r':
			break;
		case 'h':
			help();
		case 'l':
			list = 1;
			break;
		case 'n':
			builtin = 0;
			break;
		case 'q':
			quiet = 1;
			break;
		case 's':
			stats = 1;
			break;
		case 't':
			tmplpath = optarg;
			break;
		case 'V':
			lp_version("lognorm");
		case 'x':
			rejpath = optarg;
			break;
		case 'y':
			errno = 0;
			y = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    y < 1 || y > 9999)
				errx(LP_EXIT_USAGE, "invalid year '%s'", optarg);
			tso.year = (int)y;
			break;
		case 'z':
			tso.zone_min = parse_zone(optarg);
			break;
		default:
			usage();
		}
	}
	files = optind < argc ? argv + optind : (char **)stdin_only;

	if (builtin && !ruleset_add_text(&rules, "(built-in)", builtin_rules,
	    sizeof(builtin_rules) - 1, true, &msg))
		errx(LP_EXIT_FAIL, "%s", msg.p);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "d:hlnqr:st:Vx:y:z:", longopts,
	    NULL)) != -1) {
		if (ch == 'r')
			load_rules(optarg);
		else if (ch == 'd')
			load_rules_dir(optarg);
	}
	ruleset_finish(&rules);
	if (list) {
		list_rules();
		ruleset_release(&rules);
		return fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL;
	}
	if (rules.nrules == 0)
		errx(LP_EXIT_USAGE, "no rules (-n given and no -r or -d)");
	if (tmplpath != NULL && !tmpl_load(&templates, tmplpath, &msg))
		errx(LP_EXIT_USAGE, "%s", msg.p);
	if (rejpath != NULL && strcmp(rejpath, "-") == 0)
		errx(LP_EXIT_USAGE, "-x -: the reject stream cannot be standard "
		    "output, which carries the events (try -x /dev/stderr)");
	if (!reject_open(&rej, "lognorm", rejpath))
		err(LP_EXIT_USAGE, "%s", rejpath);
	norm_init(&norm, &rules, &tso, tmplpath ? &templates : NULL, &rej);
	progress = !quiet && isatty(STDERR_FILENO);

	for (; *files != NULL && !out_closed; files++) {
		if (!input_open(&in, *files)) {
			warn("%s", in.name);
			rval = LP_EXIT_FAIL;
			continue;
		}
		if (!process(&in))
			rval = LP_EXIT_FAIL;
		input_close(&in);
	}
	report_progress(1);

	if (!out_close())
		rval = LP_EXIT_FAIL;
	if (stats) {
		fprintf(stderr, "lognorm: %lu lines, %lu blank, %lu records, "
		    "%lu accepted, %lu rejected, %lu events\n", nlines, nblank,
		    nrecords, norm.records, rej.count, norm.events);
		reject_summary(&rej, stderr);
	}
	if (rej.count > 0 && rval == LP_EXIT_OK)
		rval = LP_EXIT_REJECT;
	if (!reject_close(&rej))
		rval = LP_EXIT_FAIL;
	norm_release(&norm);
	tmpl_release(&templates);
	ruleset_release(&rules);
	buf_release(&msg);
	return rval;
}
