/*
 * ptyfeed.c - a test helper: run a command whose standard input ends in
 * a read error (EIO) after the bytes of a file.
 *
 *	ptyfeed FILE COMMAND [ARG ...]
 *
 * The bytes of FILE are written to the slave side of a new pseudo
 * terminal (raw mode, so they arrive as they are), the slave is closed,
 * and COMMAND runs with the master side as its standard input: it reads
 * the bytes, then read(2) fails with EIO, as it does on a terminal that
 * hung up.  Exits with COMMAND's status (128 + N if killed by signal N).
 */
#include <err.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct termios	 t;
	char		 buf[65536];
	ssize_t		 n;
	pid_t		 pid;
	int		 m, s, fd, st;

	if (argc < 3)
		errx(2, "usage: ptyfeed file command [arg ...]");
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(m) != 0 ||
	    unlockpt(m) != 0)
		err(3, "pseudo terminal");
	if ((s = open(ptsname(m), O_RDWR | O_NOCTTY)) < 0)
		err(3, "%s", ptsname(m));
	if (tcgetattr(s, &t) != 0)
		err(3, "tcgetattr");
	cfmakeraw(&t);
	if (tcsetattr(s, TCSANOW, &t) != 0)
		err(3, "tcsetattr");
	if ((fd = open(argv[1], O_RDONLY)) < 0)
		err(3, "%s", argv[1]);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(s, buf, (size_t)n) != n)
			err(3, "write");
	close(fd);
	close(s);
	if ((pid = fork()) < 0)
		err(3, "fork");
	if (pid == 0) {
		if (dup2(m, STDIN_FILENO) < 0)
			err(3, "dup2");
		close(m);
		execvp(argv[2], argv + 2);
		err(127, "%s", argv[2]);
	}
	close(m);
	if (waitpid(pid, &st, 0) < 0)
		err(3, "waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
