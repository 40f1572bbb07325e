/* watch.c: the edit-and-look loop.
 *
 * Each run is a child process (fork, then the ordinary script_main), so a
 * run starts from a fresh Lua state and its failure or exit ends only it.
 * The child is told, in LUAGRAD_WATCH_LIST, a file where the Lua side
 * (lua/luagrad/watch.lua) writes the path of every file the script reads:
 * io.open for reading, io.lines, io.input, csv.read, csv.matrix, csv.rows,
 * dofile, loadfile and require. Afterwards the parent polls the modification times of the
 * script and of those files (not the files under the output folder: a
 * script may read back what it wrote) and runs again when one changes.
 *
 * Before each run a one-line separator on stdout; after it, a line with
 * its exit status and time. */
#include "host/watch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "host/script.h"

#define WATCH_MAX_FILES 256
#define WATCH_POLL_NS 200000000L  /* 0.2 s between looks */

typedef struct Watched {
    char *path;
    struct timespec mtime;
    off_t size;
    int exists;
} Watched;

static void look(Watched *w)
{
    struct stat st;
    w->exists = stat(w->path, &st) == 0;
    if (w->exists) {
        w->mtime = st.st_mtim;
        w->size = st.st_size;
    }
}

static int changed(const Watched *w)
{
    Watched now = *w;
    look(&now);
    if (now.exists != w->exists) return 1;
    return now.exists && (now.size != w->size || now.mtime.tv_sec != w->mtime.tv_sec ||
                          now.mtime.tv_nsec != w->mtime.tv_nsec);
}

static void add(Watched *files, int *n, const char *path, const char *out_dir)
{
    size_t len = strlen(out_dir);
    if (len && strncmp(path, out_dir, len) == 0 && (path[len] == '/' || path[len] == '\0'))
        return;  /* the run's own output */
    for (int i = 0; i < *n; i++)
        if (strcmp(files[i].path, path) == 0) return;
    if (*n >= WATCH_MAX_FILES) return;
    files[*n].path = strdup(path);
    if (!files[*n].path) return;
    look(&files[*n]);
    (*n)++;
}

static void release(Watched *files, int n)
{
    for (int i = 0; i < n; i++) free(files[i].path);
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = sig; }

/* The script's own run, in the child. */
static void child(const RunConfig *rc, const char *list)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    setenv("LUAGRAD_WATCH_LIST", list, 1);
    int status = script_main(rc);
    fflush(NULL);
    exit(status);
}

int watch_main(const RunConfig *rc)
{
    char list[] = "/tmp/luagrad-watch-XXXXXX";
    int fd = mkstemp(list);
    if (fd < 0) {
        fprintf(stderr, "luagrad: --watch: cannot make a temporary file: %s\n", strerror(errno));
        return 1;
    }
    close(fd);
    /* Ctrl-C stops the run (the child has it too) and then the watch. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    Watched files[WATCH_MAX_FILES];
    int nfiles = 0;
    const char *why = NULL;
    for (int run = 1;; run++) {
        /* Looked at before the run, so a save during it starts another. */
        release(files, nfiles);
        nfiles = 0;
        add(files, &nfiles, rc->script, "");
        time_t t = time(NULL);
        char when[16];
        strftime(when, sizeof when, "%H:%M:%S", localtime(&t));
        printf("==== luagrad --watch: run %d of %s at %s%s%s%s ====\n", run, rc->script, when,
               why ? " (" : "", why ? why : "", why ? " changed)" : "");
        fflush(stdout);
        FILE *f = fopen(list, "w");  /* empty it */
        if (f) fclose(f);
        double start = clock_seconds();
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "luagrad: --watch: cannot start the run: %s\n", strerror(errno));
            break;
        }
        if (pid == 0) child(rc, list);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        double seconds = clock_seconds() - start;
        f = fopen(list, "r");
        char line[4096];
        while (f && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            if (*line) add(files, &nfiles, line, rc->out_dir);
        }
        if (f) fclose(f);
        if (WIFEXITED(status))
            printf("---- exit %d in %.2f s; watching %d file%s (Ctrl-C stops)\n",
                   WEXITSTATUS(status), seconds, nfiles, nfiles == 1 ? "" : "s");
        else
            printf("---- killed by signal %d after %.2f s; watching %d file%s (Ctrl-C stops)\n",
                   WTERMSIG(status), seconds, nfiles, nfiles == 1 ? "" : "s");
        fflush(stdout);
        why = NULL;
        while (!why && !stop) {
            struct timespec pause = {0, WATCH_POLL_NS};
            nanosleep(&pause, NULL);
            for (int i = 0; i < nfiles && !why; i++)
                if (changed(&files[i])) why = files[i].path;
        }
        if (stop) break;
        /* The editor may still be writing: a moment for it to finish. */
        struct timespec settle = {0, 50000000L};
        nanosleep(&settle, NULL);
        static char reason[4096];
        snprintf(reason, sizeof reason, "%s", why);
        why = reason;
    }
    release(files, nfiles);
    unlink(list);
    return 128 + (stop ? (int)stop : SIGINT);
}
