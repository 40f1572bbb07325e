/* peakrss.c: runs a command and writes its peak resident memory (KB) to a
 * file, for the benchmark runner.
 *
 *   peakrss OUTFILE COMMAND [ARG ...]
 *
 * Why not the runner's own wait4: Linux counts the memory of the process a
 * child was forked from (here a 15 MB Python) into the child's peak
 * (ru_maxrss is the larger of the parent's resident size at fork and the
 * child's own peak). Forked from this small program instead, the figure is
 * the command's own peak whenever that is above this program's ~1 MB.
 * Exits with the command's exit status, or 128 + the signal that ended it. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: peakrss OUTFILE COMMAND [ARG ...]\n", stderr);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("peakrss: fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "peakrss: cannot run %s: ", argv[2]);
        perror(NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("peakrss: wait4");
        return 127;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f || fprintf(f, "%ld\n", ru.ru_maxrss) < 0 || fclose(f) != 0) {
        perror(argv[1]);
        return 127;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
