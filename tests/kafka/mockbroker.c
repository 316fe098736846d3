/*
 * mockbroker - a Kafka cluster for the tests, on loopback only.
 *
 * Starts librdkafka's mock cluster (rd_kafka_mock_cluster_new), which
 * speaks the Kafka protocol over TCP like any broker, creates the topics
 * named on the command line, prints the bootstrap address ("127.0.0.1:PORT")
 * on stdout, and runs until SIGINT or SIGTERM, or at most -t seconds
 * (default 600), so that it never outlives a test run that forgot it.
 * Built by make for tests/41-kafka.bats; not installed.
 *
 *	mockbroker [-b brokers] [-p partitions] [-t seconds] topic ...
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t	 stop;

static void
on_signal(int sig)
{
	stop = sig;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: mockbroker [-b brokers] [-p partitions] "
	    "[-t seconds] topic ...\n");
	exit(2);
}

static int
number(const char *s, int max)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > max)
		usage();
	return (int)v;
}

int
main(int argc, char *argv[])
{
	rd_kafka_conf_t		*conf;
	rd_kafka_t		*rk;
	rd_kafka_mock_cluster_t	*mc;
	struct sigaction	 sa;
	char			 errstr[512];
	int			 ch, brokers = 1, partitions = 4, i;
	int			 seconds = 600;

	while ((ch = getopt(argc, argv, "b:p:t:")) != -1)
		switch (ch) {
		case 'b':
			brokers = number(optarg, 16);
			break;
		case 'p':
			partitions = number(optarg, 1024);
			break;
		case 't':
			seconds = number(optarg, 86400);
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "log_level", "3", errstr,
	    sizeof(errstr)) != RD_KAFKA_CONF_OK)
		errx(1, "%s", errstr);
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr,
	    sizeof(errstr))) == NULL)
		errx(1, "%s", errstr);
	if ((mc = rd_kafka_mock_cluster_new(rk, brokers)) == NULL)
		errx(1, "cannot start the mock cluster");
	for (i = 0; i < argc; i++)
		if (rd_kafka_mock_topic_create(mc, argv[i], partitions, 1) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			errx(1, "cannot create topic '%s'", argv[i]);
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	if (fflush(stdout) != 0)
		err(1, "stdout");

	alarm((unsigned)seconds);
	while (!stop)
		pause();
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
