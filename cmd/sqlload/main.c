/*
 * sqlload - load logproc records into an SQLite database.
 *
 * Reads records (event, trace, span, edge, service, cycle, reject) from
 * the files named after the database, or standard input, and writes each
 * into its table by its type; with -r, raw lines and kcat -J envelopes go
 * to raw_logs as received.  Rows are written in batched transactions
 * together with the Kafka offsets they consumed, and keyed by the
 * record's identity, so that loading again doubles nothing.  See
 * sqlload(1), schema/README.md and logproc(7).
 *
 * The story: options -> open (create, migrate) the database, prepare the
 * statements once -> the reader hands out records; each is loaded by its
 * type into the open batch, committed when full, old, or when the input
 * is about to wait -> the last commit -> summary -> exit status.
 */
#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "load.h"
#include "lp.h"
#include "opt.h"
#include "out.h"
#include "reader.h"
#include "reject.h"

#define OPTSTRING	"b:ehi:qrstVw:x:"

static const struct option longopts[] = {
	{ "batch",	required_argument, NULL, 'b' },
	{ "offsets-at-end", no_argument,   NULL, 'e' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "interval",	required_argument, NULL, 'i' },
	{ "quiet",	no_argument,	   NULL, 'q' },
	{ "raw",	no_argument,	   NULL, 'r' },
	{ "stats",	no_argument,	   NULL, 's' },
	{ "tee",	no_argument,	   NULL, 't' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ "wait",	required_argument, NULL, 'w' },
	{ "reject",	required_argument, NULL, 'x' },
	{ NULL, 0, NULL, 0 }
};

static struct db	 db;
static struct loader	 loader;
static struct reject	 rej;

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*fp = status == LP_EXIT_OK ? stdout : stderr;

	fprintf(fp, "usage: sqlload [-eqrstV] [-b rows] [-i interval] "
	    "[-w wait] [-x rejects] db\n"
	    "               [file ...]\n");
	if (status != LP_EXIT_OK)
		exit(status);
	printf("\nLoad logproc records into an SQLite database, each into "
	    "its table by type.\n\n"
	    "  -b, --batch=ROWS      commit every ROWS rows (default 200000)\n"
	    "  -e, --offsets-at-end  store Kafka offsets with the last commit "
	    "only (for\n"
	    "                        pipelines with logjoin, which holds "
	    "events back)\n"
	    "  -i, --interval=TIME   commit a batch at the latest TIME after "
	    "it opened\n"
	    "                        (default 1s; units ms, s, m, h)\n"
	    "  -q, --quiet           no progress report on a terminal\n"
	    "  -r, --raw             load raw lines and kcat -J envelopes "
	    "into raw_logs\n"
	    "  -s, --stats           print a summary of counts on stderr at "
	    "exit\n"
	    "  -t, --tee             write the records loaded on stdout, not "
	    "commit records\n"
	    "  -w, --wait=TIME       wait up to TIME for a database another "
	    "process is\n"
	    "                        writing (default 60s)\n"
	    "  -x, --reject=FILE     write rejected records to FILE as "
	    "NDJSON\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         print the version\n\n"
	    "Exit status: 0 all loaded, 1 some rejected, 2 usage, "
	    "3 database or I/O failure.\n"
	    "See sqlload(1), logproc(7).\n");
	exit(fflush(stdout) == 0 ? LP_EXIT_OK : LP_EXIT_FAIL);
}

/* The input is about to wait: commit what it gave, then flush stdout. */
static void
idle(void)
{
	if (db.state == B_OPEN)
		(void)db_commit(&db, false);
	out_wait();
}

int
main(int argc, char *argv[])
{
	struct reader	 rd;
	struct record	 rec;
	enum load_result r;
	const char	*rejpath = NULL;
	char		**files;
	long		 max_rows = 200000;
	int64_t		 max_ms = 1000, wait_ms = 60000;
	unsigned long	 loaded = 0;
	int		 ch, raw = 0, stats = 0, quiet = 0, tee = 0, atend = 0;
	int		 rval = LP_EXIT_OK, t;

	lp_init("sqlload");
	/* a file size limit (ulimit -f) is a full disk, not a crash */
	signal(SIGXFSZ, SIG_IGN);
	while ((ch = getopt_long(argc, argv, OPTSTRING, longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			max_rows = (long)opt_num(optarg, 1, 100000000, "batch");
			break;
		case 'e':
			atend = 1;
			break;
		case 'h':
			usage(LP_EXIT_OK);
		case 'i':
			max_ms = opt_duration_ms(optarg, 86400000, "interval");
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			raw = 1;
			break;
		case 's':
			stats = 1;
			break;
		case 't':
			tee = 1;
			break;
		case 'V':
			lp_version("sqlload");
		case 'w':
			wait_ms = opt_duration_ms(optarg, 86400000, "wait");
			break;
		case 'x':
			rejpath = optarg;
			break;
		default:
			usage(LP_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(LP_EXIT_USAGE);
	files = argv + 1;

	opt_check_output(argv[0], "the database", files);
	reject_open_option(&rej, "sqlload", rejpath, files);

	db_open(&db, argv[0], wait_ms > 0x7fffffff ? 0x7fffffff : (int)wait_ms);
	db.max_rows = max_rows;
	db.max_ms = max_ms;
	db.offsets_at_end = atend;
	db.tee = tee;
	load_init(&loader, &db);

	reader_init(&rd, "sqlload", files, &rej,
	    (raw ? READER_LINES : 0) | (quiet ? READER_QUIET : 0));
	rd.wait = idle;
	while (reader_next(&rd, &rec)) {
		db.input = rec.input;
		db.line = rec.line;
		if (raw)
			r = load_raw(&loader, &rec);
		else if (rec.type == RT_COMMIT)
			r = LOAD_OK;	/* another sqlload's summary: passed on
					   with -t, else nothing to load */
		else
			r = load_record(&loader, &rec);
		if (r == LOAD_FAIL || db.state == B_FAILED)
			break;
		if (r == LOAD_REJECT) {
			reader_reject(&rd, &rec, "%s", loader.why.p);
			continue;
		}
		loaded++;
		if (tee) {
			buf_add(&out_buf, rec.text, rec.len);
			buf_addc(&out_buf, '\n');
			out_commit();
		}
		if (!db_row_done(&db))
			break;
	}
	rval = rd.status;
	reader_release(&rd);
	/* the end of the input, or a signal: commit what was read */
	if (db.state != B_FAILED && !db_commit(&db, true))
		rval = LP_EXIT_FAIL;
	if (db.state == B_FAILED)
		rval = LP_EXIT_FAIL;

	if (!out_close())
		rval = LP_EXIT_FAIL;
	if (stats) {
		fprintf(stderr, "sqlload: %lu lines, %lu blank, %lu records, "
		    "%lu loaded, %lu rejected, %lu commits\n",
		    rd.lines, rd.blank, rd.records, loaded, rej.count,
		    db.commits);
		for (t = 0; t < T_NTABLES; t++)
			if (db.total[t] > 0)
				fprintf(stderr, "  %lu %s\n", db.total[t],
				    table_name[t]);
		reject_summary(&rej, stderr);
	}
	if (rej.count > 0 && rval == LP_EXIT_OK)
		rval = LP_EXIT_REJECT;
	if (!reject_close(&rej))
		rval = LP_EXIT_FAIL;
	load_release(&loader);
	db_close(&db);
	return lp_exit(rval);
}
