/* main.c: luagrad's entry point. Parses the command line and hands over to
 * the mode it asks for: one script, its parameter list, the prompt, or a
 * batch run, sweep or collect (src/host/batch.c, lua/luagrad/batch.lua). */
#include <lua.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/par.h"
#include "host/batch.h"
#include "host/cli.h"
#include "host/repl.h"
#include "host/script.h"
#include "host/state.h"
#include "host/watch.h"

static int run_prompt(RunConfig *rc)
{
    if (!isatty(STDIN_FILENO)) {  /* `echo 'print(1)' | luagrad`: run stdin */
        rc->script = "-";
        rc->stdin_implicit = 1;  /* but an empty stdin is no script */
        return script_main(rc);
    }
    lua_State *L = state_new(rc);
    if (!L) return EXIT_SCRIPT;
    int status = script_finish(L, repl_main(L));
    lua_close(L);
    return status;
}

/* Runs what the command line asks for; returns the exit status. */
static int run_mode(Options *o, char *argv0)
{
    char out_dir[4096];
    RunConfig rc = {0};
    rc.script = o->script;
    rc.seed = o->seed;
    rc.quiet = o->quiet;
    rc.plot = o->plot;
    rc.noverrides = o->nargs;
    rc.overrides = o->args;
    rc.sandbox = o->sandbox;
    rc.ndata = o->ndata;
    rc.data = o->data;
    rc.timeout = o->timeout;
    rc.max_mem = o->max_mem;
    if (o->out_dir)
        snprintf(out_dir, sizeof out_dir, "%s", o->out_dir);
    else
        state_default_out_dir(o->script ? o->script : "-", out_dir, sizeof out_dir);
    rc.out_dir = out_dir;

    switch (o->mode) {
    case MODE_HELP:
        cli_print_help_of(o->help_of);
        return EXIT_OK;
    case MODE_VERSION:
        printf("luagrad %s (%s)\n", LUAGRAD_VERSION, LUA_RELEASE);
        return EXIT_OK;
    case MODE_PARAMS:
        rc.list_params = o->params_json ? 2 : 1;
        rc.quiet = 1;
        return script_main(&rc);
    case MODE_SCRIPT:
        return o->watch ? watch_main(&rc) : script_main(&rc);
    case MODE_REPL:
        return run_prompt(&rc);
    case MODE_BATCH:
        return batch_main(o, argv0);
    case MODE_SWEEP:
        return sweep_main(o, argv0);
    case MODE_COLLECT:
        return collect_main(o, argv0);
    }
    return EXIT_USAGE;
}

/* A setting in the environment is checked like an option: a bad one is an
 * error, not silently replaced by the default. */
int main(int argc, char **argv)
{
    /* Started with SIGCHLD ignored, waitpid could not tell how the runs of
     * a batch ended: take the default back. */
    signal(SIGCHLD, SIG_DFL);

    /* Through a pipe (a batch run's child, `luagrad x.lua | tee`), each line
     * goes out when it is complete, not when a block is full. */
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        setvbuf(stdout, NULL, _IOLBF, 0);

#ifdef __GLIBC__
    /* Tensor buffers of a few MB are freed and allocated again all the time
     * (r = x * w + b - y makes three per line). By default glibc maps each
     * from the system and returns it when freed, so every temporary lands on
     * fresh pages the kernel must fault in and zero; kept in the heap, they
     * are reused. The peak memory is the same. */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif

    Options o;
    int status = cli_parse(argc, argv, &o);
    /* --data folders must exist: a typo would otherwise only show as a
     * refused read deep in the run. */
    for (int i = 0; status == EXIT_OK && i < o.ndata; i++) {
        errno = 0;
        if (stat(o.data[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "luagrad: --data '%s': %s\n", o.data[i],
                    errno ? strerror(errno) : "not a folder");
            cli_print_usage_of(o.mode == MODE_BATCH || o.mode == MODE_SWEEP ? o.mode : MODE_SCRIPT);
            status = EXIT_USAGE;
        }
    }
    if (status == EXIT_OK) {
        par_set_threads(o.threads);
        status = run_mode(&o, argv[0]);
    }
    free(o.args);
    free(o.data);
    mem_drain();
    return status;
}
