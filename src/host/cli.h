/* cli.h: the command line of luagrad, parsed into Options.
 *
 *   luagrad [options] SCRIPT.lua [key=value ...]   run one experiment
 *   luagrad --params SCRIPT.lua                    list its parameters
 *   luagrad                                        interactive prompt
 *   luagrad run [options] A.lua B.lua ...          batch run
 *   luagrad sweep [options] SCRIPT.lua key=v1,v2   parameter sweep
 *   luagrad collect [-q] [--plot MODE] DIR         gather run.json files
 */
#ifndef LUAGRAD_CLI_H
#define LUAGRAD_CLI_H

#include <stdint.h>

#define LUAGRAD_VERSION "0.1.0"
#define DEFAULT_SEED 42
/* The environment variable with the number of threads (src/core/par.h). */
#define THREADS_ENV "LUAGRAD_THREADS"

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_SCRIPT = 1, EXIT_USAGE = 2, EXIT_TIMEOUT = 124, EXIT_INTERRUPTED = 130 };

typedef enum Mode {
    MODE_SCRIPT,  /* run one script */
    MODE_PARAMS,  /* list a script's parameters */
    MODE_REPL,    /* interactive prompt (or a script on stdin) */
    MODE_HELP,
    MODE_VERSION,
    MODE_BATCH,   /* luagrad run */
    MODE_SWEEP,   /* luagrad sweep */
    MODE_COLLECT  /* luagrad collect */
} Mode;

typedef struct Options {
    Mode mode;
    const char *script;   /* MODE_SCRIPT/PARAMS/SWEEP; "-" is stdin */
    const char *out_dir;  /* --out DIR, NULL for the default */
    uint64_t seed;        /* --seed N, DEFAULT_SEED without it */
    int seed_given;
    int quiet;            /* -q */
    const char *plot;     /* --plot=png|term|none */
    int jobs;             /* -j N; 0 means the number of cores */
    int force;            /* sweep --force */
    int emit_jobs;        /* sweep --emit-jobs */
    int html;             /* collect --html: also DIR/index.html */
    int watch;            /* --watch: run the script again when a file changes */
    int params_json;      /* --params-json: --params as JSON, for the sweep
                             (lua/luagrad/params.lua); not in --help */
    Mode help_of;         /* MODE_HELP: whose help (a subcommand's, or the whole) */
    int threads;          /* LUAGRAD_THREADS; 0 when unset or empty */
    int sandbox;          /* --sandbox (src/host/sandbox.c) */
    int ndata;            /* --data DIR, in command-line order */
    char **data;
    double timeout;       /* --timeout SECONDS; 0: none */
    double max_mem;       /* --max-mem MB; 0: none */
    int nargs;            /* key=value words (script, sweep), scripts (run), */
    char **args;          /* or the folder (collect), in command-line order */
} Options;

/* Parses argv, and LUAGRAD_THREADS from the environment. Returns EXIT_OK,
 * or EXIT_USAGE after printing what is wrong (and, for argv, the usage line)
 * on stderr. o->args points into argv. */
int cli_parse(int argc, char **argv, Options *o);

/* Checks that a key=value word has an identifier before '='. */
int cli_is_assignment(const char *word);

/* The usage line of a mode (run, sweep, collect, or the single script's);
 * lua/luagrad/batch.lua gets it through its options as well. */
const char *cli_usage_line(Mode mode);
void cli_print_usage_of(Mode mode);  /* that line, on stderr */
void cli_print_usage(void);          /* the single script's, on stderr */
void cli_print_help(void);           /* the whole --help text, on stdout */
void cli_print_help_of(Mode mode);   /* `luagrad run --help`, ... */

#endif
