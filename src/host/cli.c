/* cli.c: parses the command line (see cli.h) and prints usage and help.
 * Options may come before or after the script; a word "key=value" after the
 * script overrides a parameter; "--" ends the options. */
#include "host/cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_usage_line(Mode mode)
{
    switch (mode) {
    case MODE_BATCH:
        return "usage: luagrad run [options] A.lua B.lua ...   (luagrad run --help for more)";
    case MODE_SWEEP:
        return "usage: luagrad sweep [options] SCRIPT.lua key=LIST ...   "
               "(luagrad sweep --help for more)";
    case MODE_COLLECT:
        return "usage: luagrad collect [-q] [--plot MODE] [--html] DIR   (luagrad collect --help for more)";
    default:
        return "usage: luagrad [options] SCRIPT.lua [key=value ...]   (luagrad --help for more)";
    }
}

void cli_print_usage(void) { cli_print_usage_of(MODE_SCRIPT); }

void cli_print_usage_of(Mode mode)
{
    fputs(cli_usage_line(mode), stderr);
    fputc('\n', stderr);
}

static const char run_help[] =
"usage: luagrad run [options] A.lua B.lua ...\n"
"\n"
"Runs each script as its own luagrad process in OUT/NAME/ (NAME: the script's\n"
"file name without .lua), then prints a summary. With several scripts, each\n"
"one's output goes to OUT/NAME/stdout.txt and stderr.txt and the terminal\n"
"shows one line per finished run; one script alone prints everything.\n"
"\n"
"options:\n"
"  -j N, --jobs N  run up to N scripts at once, 1 to 1024 (default: cores)\n"
"  --out DIR       OUT, the folder of the runs' folders (default: out)\n"
"  --seed N        passed on to every script\n"
"  --plot MODE     png, term or none, passed on to every script\n"
"  --sandbox, --data DIR, --timeout SECONDS, --max-mem MB\n"
"                  passed on to every script (see luagrad --help)\n"
"  -q, --quiet     no progress lines, notes or script output: the summary only\n"
"  -h, --help      this text\n"
"\n"
"exit status: 0 all succeeded, 1 one failed, 2 bad command line, 130 Ctrl-C.\n";

static const char sweep_help[] =
"usage: luagrad sweep [options] SCRIPT.lua key=LIST ...\n"
"\n"
"Runs SCRIPT once for every combination of values (the first key changes\n"
"slowest), each run in OUT/NAME/key=value,.../, then writes OUT/NAME/runs.csv\n"
"and a plot of each reported figure. Run again, it skips complete runs.\n"
"\n"
"values (key=LIST):\n"
"  lr=0.001,0.01,0.1     a list\n"
"  epochs=10:100:10      from 10 to 100 in steps of 10 (both ends included)\n"
"  lr=0.001:1:log4       4 values from 0.001 to 1, evenly spaced in log scale\n"
"  lr=0:1:lin5           5 values from 0 to 1, evenly spaced\n"
"\n"
"options:\n"
"  -j N, --jobs N  run up to N runs at once, 1 to 1024 (default: cores)\n"
"  --out DIR       OUT (default: out)\n"
"  --seed N        passed on to every run\n"
"  --plot MODE     png, term or none, for the runs and the sweep's plots\n"
"  --sandbox, --data DIR, --timeout SECONDS, --max-mem MB\n"
"                  passed on to every run (see luagrad --help)\n"
"  -q, --quiet     no progress lines, notes or script output: the summary only\n"
"  --force         run again the runs that are already complete\n"
"  --emit-jobs     print one shell command per run still to do, do not run\n"
"  -h, --help      this text\n"
"\n"
"exit status: 0 all succeeded, 1 one failed, 2 bad command line, 130 Ctrl-C.\n";

static const char collect_help[] =
"usage: luagrad collect [-q] [--plot MODE] [--html] DIR\n"
"\n"
"Gathers every DIR/**/run.json into DIR/runs.csv (one row per run:\n"
"parameters, reported figures, status, seconds) and plots each figure.\n"
"It also draws the runs' per-epoch curves overlaid in DIR/curves.png: a\n"
"run's curve is the first CSV it wrote with a column named epoch (y: the\n"
"column loss, else the next numeric column).\n"
"\n"
"options:\n"
"  --html          also write DIR/index.html: the runs table (sortable),\n"
"                  each run's pictures and files, the curves; no server or\n"
"                  network needed\n"
"  --plot MODE     png (default), term or none: the figures' plots\n"
"  -q, --quiet     no notes\n"
"  -h, --help      this text\n";

void cli_print_help_of(Mode mode)
{
    if (mode == MODE_BATCH) fputs(run_help, stdout);
    else if (mode == MODE_SWEEP) fputs(sweep_help, stdout);
    else if (mode == MODE_COLLECT) fputs(collect_help, stdout);
    else cli_print_help();
}

void cli_print_help(void)
{
    fputs(
"luagrad " LUAGRAD_VERSION ": run machine-learning experiment scripts written in Lua\n"
"\n"
"usage:\n"
"  luagrad [options] SCRIPT.lua [key=value ...]  run one experiment script\n"
"  luagrad --params SCRIPT.lua                   list its parameters, do not run it\n"
"  luagrad --watch SCRIPT.lua [key=value ...]    run it again each time it or a file\n"
"                                                it read is saved\n"
"  luagrad [options]                             interactive prompt (a script on\n"
"                                                stdin when stdin is not a terminal)\n"
"  luagrad run [options] A.lua B.lua ...         run several scripts, then a summary\n"
"  luagrad sweep [options] SCRIPT.lua key=LIST ...  run every combination of values\n"
"  luagrad collect [-q] [--plot MODE] [--html] DIR  gather DIR/**/run.json into\n"
"                                                DIR/runs.csv (and index.html)\n"
"                                                and plot each figure\n"
"  luagrad run|sweep|collect --help              the help of that command\n"
"\n"
"parameters:\n"
"  A script declares its parameters with defaults:\n"
"      local P = params{ lr = 0.01, epochs = 100, shuffle = false, name = \"run\" }\n"
"  and key=value words override them, converted to the default's type:\n"
"  integer (100, 1e6), float (0.5), boolean (true/false, yes/no, on/off, 1/0),\n"
"  or string. An unknown key or a value of the wrong type is an error.\n"
"\n"
"options:\n"
"  --out DIR       where relative output paths go (default: out/SCRIPT/, where\n"
"                  SCRIPT is the script's file name without .lua)\n"
"  --seed N        seed of the random number generators, luagrad's and Lua's\n"
"                  math.random (0 to 9223372036854775807; default: 42, so two\n"
"                  runs without --seed are bit-identical); the script reads it\n"
"                  as luagrad.seed\n"
"  --plot MODE     png (default): write NAME.png with gnuplot; term: draw in the\n"
"                  terminal; none: write only the CSV and the NAME.gp script\n"
"  -q, --quiet     silence the script's print() and luagrad's notes (errors\n"
"                  still go to stderr)\n"
"  --params        list the script's parameters, defaults and types\n"
"  --watch         run the script, then again each time it or a file it read\n"
"                  (io.open, csv.read, dofile, require) is saved; Ctrl-C stops\n"
"  -h, --help      this text\n"
"  --version       the version of luagrad and of Lua\n"
"  --              end of the options: the next word is the script\n"
"  SCRIPT is '-'   read the script from stdin\n"
"\n"
"running scripts you did not write:\n"
"  --sandbox       the script reads only under its own folder, its output\n"
"                  folder and --data folders, writes only under its output\n"
"                  folder, starts no programs, loads no C code or bytecode and\n"
"                  has no debug library; each refusal is an error saying why\n"
"  --data DIR      with --sandbox: a folder the script may also read (repeatable)\n"
"  --timeout SECONDS  stop the script after this long, also inside luagrad's\n"
"                  C loops and whatever pcall it uses: exit 124, output files\n"
"                  kept as NAME.incomplete\n"
"  --max-mem MB    cap the memory of the run (Lua values, tensors, CSV buffers);\n"
"                  past it the script fails with a message naming the cap\n"
"\n"
"run and sweep options:\n"
"  -j N, --jobs N  run up to N scripts at once, 1 to 1024 (default: the\n"
"                  number of cores). With several runs, each one's output\n"
"                  goes to stdout.txt and stderr.txt in its folder and the\n"
"                  terminal shows one line per finished run; one run alone\n"
"                  prints everything, each line starting with [NAME]\n"
"  --out DIR       the folder under which each run gets its own folder\n"
"                  (run: DIR/SCRIPT/, sweep: DIR/SCRIPT/key=value,.../;\n"
"                  default DIR: out)\n"
"  --seed, --plot, -q, --sandbox, --data, --timeout, --max-mem\n"
"                  passed on to every run\n"
"  --force         sweep: run again the runs that are already complete\n"
"  --emit-jobs     sweep: print one shell command per run still to do instead\n"
"                  of running (for xargs -P, GNU parallel or a Slurm array)\n"
"\n"
"sweep values (key=LIST; the first key changes slowest):\n"
"  lr=0.001,0.01,0.1     a list\n"
"  epochs=10:100:10      from 10 to 100 in steps of 10 (both ends included)\n"
"  lr=0.001:1:log4       4 values from 0.001 to 1, evenly spaced in log scale\n"
"  lr=0:1:lin5           5 values from 0 to 1, evenly spaced\n"
"  Ranges are for number parameters. A sweep writes DIR/SCRIPT/runs.csv (one\n"
"  row per run: parameters, reported figures, status, seconds) and a plot of\n"
"  each figure; run again, it skips the runs that are complete. A script\n"
"  reports its figures with report{ loss = l, w = w }.\n"
"\n"
"environment:\n"
"  " THREADS_ENV "=N   threads for large data-parallel work (default: the\n"
"                      number of cores, at most 64); results are the same\n"
"                      for any N\n"
"\n"
"exit status:\n"
"  0 success; 1 the script failed (or, for run and sweep, any run failed);\n"
"  2 bad command line; 124 stopped by --timeout; 130 interrupted with Ctrl-C (128 + N for signal N:\n"
"  143 for SIGTERM, 129 for SIGHUP).\n"
"\n"
"Every run writes run.json (provenance: script and its SHA-256, parameters,\n"
"seed, version, start time, duration, exit status, figures, files written) in\n"
"its output folder, last. `luagrad collect DIR` gathers them into runs.csv.\n",
        stdout);
}

int cli_is_assignment(const char *word)
{
    const char *eq = strchr(word, '=');
    if (!eq || eq == word) return 0;
    if (!(isalpha((unsigned char)word[0]) || word[0] == '_')) return 0;
    for (const char *p = word; p < eq; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_')) return 0;
    return 1;
}

/* The mode whose usage line a command-line error shows: set by cli_parse as
 * soon as it knows the subcommand. */
static Mode usage_mode = MODE_SCRIPT;

static int usage_error(const char *fmt, const char *what)
{
    fputs("luagrad: ", stderr);
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
    cli_print_usage_of(usage_mode);
    return EXIT_USAGE;
}

/* An option's value: "--out=DIR" or "--out DIR". Advances *i for the
 * second form. Returns NULL when the value is missing. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (arg[n] == '=') return arg + n + 1;
    if (name[1] != '-' && arg[n] != '\0') return arg + n;  /* -j4 */
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

/* Is arg the option name, alone or as name=value (or -jN)? */
static int is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0) return 0;
    if (arg[n] == '\0' || arg[n] == '=') return 1;
    return name[1] != '-' && isdigit((unsigned char)arg[n]);
}

/* A positive number (seconds, megabytes) at most max; 1e-3 and 2.5 are fine. */
static int parse_positive(const char *s, double max, double *out)
{
    char *end;
    if (!(isdigit((unsigned char)s[0]) || s[0] == '.')) return 0;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v > 0) || v > max) return 0;
    *out = v;
    return 1;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!isdigit((unsigned char)s[0])) return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return 0;
    *out = v;
    return 1;
}

/* LUAGRAD_THREADS: a whole number from 1 (larger than the pool's maximum
 * means the maximum), or unset or empty for the default. */
static int parse_threads(Options *o)
{
    const char *v = getenv(THREADS_ENV);
    uint64_t n;
    if (!v || !*v) return EXIT_OK;
    if (!parse_u64(v, &n) || n < 1) {
        fprintf(stderr, "luagrad: %s='%s' is not a number of threads (a whole number, 1 or more)\n",
                THREADS_ENV, v);
        return EXIT_USAGE;
    }
    o->threads = n > 1024 ? 1024 : (int)n;
    return EXIT_OK;
}

int cli_parse(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->mode = MODE_REPL;
    o->seed = DEFAULT_SEED;
    o->plot = "png";
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    o->data = calloc((size_t)argc + 1, sizeof *o->data);
    if (!o->args || !o->data) return usage_error("%s", "out of memory");

    int first = 1;
    if (argc > 1) {
        if (strcmp(argv[1], "run") == 0) o->mode = MODE_BATCH;
        else if (strcmp(argv[1], "sweep") == 0) o->mode = MODE_SWEEP;
        else if (strcmp(argv[1], "collect") == 0) o->mode = MODE_COLLECT;
        if (o->mode != MODE_REPL) first = 2;
    }
    int subcommand = o->mode != MODE_REPL;
    usage_mode = subcommand ? o->mode : MODE_SCRIPT;
    int list_params = 0, options_done = 0;

    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            const char *v;
            if (strcmp(arg, "--") == 0) options_done = 1;
            else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
                o->help_of = subcommand ? o->mode : MODE_SCRIPT;
                o->mode = MODE_HELP;
                return EXIT_OK;
            } else if (strcmp(arg, "--version") == 0) {
                o->mode = MODE_VERSION;
                return EXIT_OK;
            } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
                o->quiet = 1;
            } else if (strcmp(arg, "--params") == 0) {
                list_params = 1;
            } else if (strcmp(arg, "--params-json") == 0) {
                list_params = 1;
                o->params_json = 1;
            } else if (strcmp(arg, "--force") == 0) {
                o->force = 1;
            } else if (strcmp(arg, "--html") == 0) {
                o->html = 1;
            } else if (strcmp(arg, "--watch") == 0) {
                o->watch = 1;
            } else if (strcmp(arg, "--emit-jobs") == 0) {
                o->emit_jobs = 1;
            } else if (strcmp(arg, "--sandbox") == 0) {
                o->sandbox = 1;
            } else if (is_option(arg, "--data")) {
                if (!(v = option_value(argc, argv, &i, "--data")) || !*v)
                    return usage_error("%s needs a folder", "--data");
                o->data[o->ndata++] = (char *)v;
            } else if (is_option(arg, "--timeout")) {
                if (!(v = option_value(argc, argv, &i, "--timeout")))
                    return usage_error("%s needs a number of seconds", "--timeout");
                if (!parse_positive(v, 1e9, &o->timeout))
                    return usage_error("--timeout: '%s' is not a number of seconds above 0 "
                                       "(like 60 or 0.5)", v);
            } else if (is_option(arg, "--max-mem")) {
                if (!(v = option_value(argc, argv, &i, "--max-mem")))
                    return usage_error("%s needs a number of megabytes", "--max-mem");
                if (!parse_positive(v, 1e9, &o->max_mem))
                    return usage_error("--max-mem: '%s' is not a number of megabytes above 0 "
                                       "(like 500)", v);
            } else if (is_option(arg, "--out")) {
                if (!(v = option_value(argc, argv, &i, "--out")) || !*v)
                    return usage_error("%s needs a folder", "--out");
                o->out_dir = v;
            } else if (is_option(arg, "--seed")) {
                if (!(v = option_value(argc, argv, &i, "--seed")))
                    return usage_error("%s needs a number", "--seed");
                /* luagrad.seed is a Lua integer: at most 2^63 - 1. */
                if (!parse_u64(v, &o->seed) || o->seed > INT64_MAX)
                    return usage_error("--seed: '%s' is not a whole number from 0 to "
                                       "9223372036854775807", v);
                o->seed_given = 1;
            } else if (is_option(arg, "--plot")) {
                if (!(v = option_value(argc, argv, &i, "--plot")))
                    return usage_error("%s needs png, term or none", "--plot");
                if (strcmp(v, "png") && strcmp(v, "term") && strcmp(v, "none"))
                    return usage_error("--plot: '%s' is not one of png, term, none", v);
                o->plot = v;
            } else if (is_option(arg, "-j") || is_option(arg, "--jobs")) {
                uint64_t j;
                const char *name = arg[1] == 'j' ? "-j" : "--jobs";
                if (!(v = option_value(argc, argv, &i, name)))
                    return usage_error("%s needs a number of jobs", name);
                if (!parse_u64(v, &j) || j < 1 || j > 1024) {
                    fprintf(stderr, "luagrad: %s: '%s' is not a number of jobs from 1 to 1024\n",
                            name, v);
                    cli_print_usage_of(usage_mode);
                    return EXIT_USAGE;
                }
                o->jobs = (int)j;
            } else {
                return usage_error("unknown option '%s'", arg);
            }
            continue;
        }
        /* A word: the script, then key=value overrides. */
        if (o->mode == MODE_REPL) {
            if (cli_is_assignment(arg))
                return usage_error("'%s' comes before any script: put the script first", arg);
            o->mode = MODE_SCRIPT;
            o->script = arg;
        } else if (o->mode == MODE_SCRIPT) {
            if (!cli_is_assignment(arg))
                return usage_error("unexpected argument '%s' after the script "
                                   "(parameters are written key=value)", arg);
            o->args[o->nargs++] = argv[i];
        } else if (o->mode == MODE_SWEEP && !o->script) {
            if (cli_is_assignment(arg))
                return usage_error("'%s' comes before the script: sweep SCRIPT.lua key=LIST ...", arg);
            o->script = arg;
        } else {
            o->args[o->nargs++] = argv[i];
        }
    }

    /* Options that belong to one mode only. */
    if ((o->jobs || o->force || o->emit_jobs) && !subcommand)
        return usage_error("%s is an option of 'luagrad run' and 'luagrad sweep'",
                           o->jobs ? "-j" : o->force ? "--force" : "--emit-jobs");
    if ((o->force || o->emit_jobs) && o->mode != MODE_SWEEP)
        return usage_error("%s is an option of 'luagrad sweep'",
                           o->force ? "--force" : "--emit-jobs");
    if (o->html && o->mode != MODE_COLLECT)
        return usage_error("%s is an option of 'luagrad collect'", "--html");
    if (o->watch && o->mode != MODE_SCRIPT)
        return usage_error("%s needs one script: luagrad --watch SCRIPT.lua key=value ...",
                           "--watch");
    if (o->watch && strcmp(o->script, "-") == 0)
        return usage_error("%s cannot watch a script read from stdin ('-')", "--watch");
    if (o->ndata && !o->sandbox)
        return usage_error("%s is for --sandbox runs (without it a script reads any file)",
                           "--data");
    if (o->mode == MODE_COLLECT && (o->sandbox || o->timeout > 0 || o->max_mem > 0))
        return usage_error("%s is an option of a script's run, 'luagrad run' and 'luagrad sweep'",
                           o->sandbox ? "--sandbox" : o->timeout > 0 ? "--timeout" : "--max-mem");
    if (o->mode == MODE_REPL && (o->sandbox || o->timeout > 0 || o->max_mem > 0) &&
        isatty(STDIN_FILENO))
        return usage_error("%s needs a script (the interactive prompt has no limits)",
                           o->sandbox ? "--sandbox" : o->timeout > 0 ? "--timeout" : "--max-mem");
    if (list_params) {
        if (o->mode != MODE_SCRIPT)
            return usage_error("%s needs a script: luagrad --params SCRIPT.lua", "--params");
        o->mode = MODE_PARAMS;
    }
    if (o->mode == MODE_BATCH && o->nargs == 0)
        return usage_error("%s needs at least one script", "run");
    if (o->mode == MODE_SWEEP && !o->script)
        return usage_error("%s needs a script: luagrad sweep SCRIPT.lua key=LIST ...", "sweep");
    if (o->mode == MODE_COLLECT && o->nargs != 1)
        return usage_error("%s needs exactly one folder: luagrad collect DIR", "collect");
    /* A key given twice would make one of them silently lost. */
    if (o->mode == MODE_SCRIPT || o->mode == MODE_PARAMS || o->mode == MODE_SWEEP) {
        for (int a = 0; a < o->nargs; a++) {
            if (o->mode == MODE_SWEEP && !cli_is_assignment(o->args[a]))
                return usage_error("unexpected argument '%s' (sweep values are written key=LIST)",
                                   o->args[a]);
            size_t ka = strcspn(o->args[a], "=");
            for (int b = 0; b < a; b++)
                if (strcspn(o->args[b], "=") == ka && strncmp(o->args[a], o->args[b], ka) == 0)
                    return usage_error("parameter given twice: '%s'", o->args[a]);
        }
    }
    return parse_threads(o);
}
