/*
 * logreport - the seeds' dashboards as one HTML file: failures, trace
 * waterfalls, the dependency graph, the rejects.
 *
 * Reads the database sqlload writes (an operand that is an SQLite file),
 * or trace, edge, service, cycle, event and reject records (logproc(7))
 * from files or standard input; writes one self-contained HTML page on
 * standard output.  See logreport(1).
 *
 * The story: options -> read the database (db.c) or the records (pipe.c)
 * into the report, bounded by the options -> lay out the graph with dot
 * (graph.c) -> write the page (html.c) -> exit status.
 */
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lp.h"
#include "opt.h"
#include "out.h"
#include "report.h"

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp, "usage: logreport [-qsV] [-D dot] [-e edges] [-n traces] "
	    "[-S spans] [-t title]\n"
	    "                 [-x rejects] db | [file ...]\n");
	if (status != LP_EXIT_OK)
		exit(status);
	printf("\nOne self-contained HTML page of a database sqlload wrote, or "
	    "of records\n(trace, edge, service, cycle, event, reject): "
	    "failures, trace waterfalls,\nthe dependency graph, the rejects.\n\n"
	    "  -D, --dot=PROGRAM     lay the graph out with PROGRAM (default "
	    "dot); none:\n"
	    "                        no picture, the table only\n"
	    "  -e, --edges=N         edges drawn in the graph, the most called "
	    "(default 50)\n"
	    "  -n, --traces=N        slowest and failed traces listed, N each "
	    "(default 10)\n"
	    "  -q, --quiet           no progress report on a terminal\n"
	    "  -S, --max-spans=N     spans shown per trace (default 100)\n"
	    "  -s, --stats           print a summary of counts on stderr at "
	    "exit\n"
	    "  -t, --title=TEXT      the page's title (default: logproc "
	    "report)\n"
	    "  -x, --reject=FILE     write rejected records to FILE as NDJSON\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Exit status: 0 all accepted, 1 some rejected, 2 usage, "
	    "3 I/O or database failure.\n"
	    "See logreport(1), logproc(7).\n");
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

/* Whether path is an SQLite database: its file starts with the magic. */
static bool
is_database(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char	 head[16];
	int	 fd;
	bool	 yes;

	if (strcmp(path, "-") == 0 || (fd = open(path, O_RDONLY)) < 0)
		return false;
	yes = read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	    memcmp(head, magic, sizeof(magic)) == 0;
	close(fd);
	return yes;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dot",	required_argument,	NULL, 'D' },
		{ "edges",	required_argument,	NULL, 'e' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "traces",	required_argument,	NULL, 'n' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "max-spans",	required_argument,	NULL, 'S' },
		{ "stats",	no_argument,		NULL, 's' },
		{ "title",	required_argument,	NULL, 't' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "reject",	required_argument,	NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct report_opts o = { 10, 50, 100, NULL, "dot" };
	struct report	 r;
	const char	*rejpath = NULL;
	char		**files;
	int		 ch, rval;
	bool		 quiet = false, stats = false;

	lp_init("logreport");
	while ((ch = getopt_long(argc, argv, "D:e:hn:qS:st:Vx:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'D':
			o.dot = strcmp(optarg, "none") == 0 || *optarg == '\0' ?
			    NULL : optarg;
			break;
		case 'e':
			o.nedges = (int)opt_num(optarg, 0, 1000, "edges");
			break;
		case 'h':
			usage(LP_EXIT_OK);
		case 'n':
			o.ntraces = (int)opt_num(optarg, 0, 1000, "traces");
			break;
		case 'q':
			quiet = true;
			break;
		case 'S':
			o.max_spans = (int)opt_num(optarg, 1, 100000,
			    "max-spans");
			break;
		case 's':
			stats = true;
			break;
		case 't':
			o.title = optarg;
			break;
		case 'V':
			lp_version("logreport");
		case 'x':
			rejpath = optarg;
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	files = argv + optind;

	report_init(&r, &o);
	if (files[0] != NULL && files[1] == NULL && is_database(files[0])) {
		if (rejpath != NULL)
			errx(LP_EXIT_USAGE, "-x: a database has no records to "
			    "reject");
		r.source = files[0];
		rval = db_report(&r, files[0]);
	} else {
		for (ch = 0; files[ch] != NULL; ch++)
			if (is_database(files[ch]))
				errx(LP_EXIT_USAGE, "'%s' is a database: give it "
				    "alone, not with record files", files[ch]);
		r.source = files[0] == NULL || (strcmp(files[0], "-") == 0 &&
		    files[1] == NULL) ? "standard input" : files[0];
		if (files[0] != NULL && files[1] != NULL)
			r.source = "records";
		rval = pipe_report(&r, files, rejpath, quiet, stats);
	}
	report_edges_sort(&r);
	graph_layout(&r);
	html_write(&out_buf, &r);
	if (!out_close())
		rval = LP_EXIT_FAIL;
	report_release(&r);
	return lp_exit(rval);
}
