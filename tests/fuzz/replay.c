/* replay.c: runs the fuzz harnesses without libFuzzer, on the files given:
 * tests/fuzz/NAME/seed/... and tests/fuzz/NAME/regress/... go to the
 * harness NAME (tests/fuzz/NAME.c). make test runs it on every seed and
 * every input that once crashed, so those stay fixed with any compiler and
 * no clang. Prints "ok - FILE" for each and the summary line of
 * tests/run.sh; a broken property aborts (see fuzz.h). */
#include <string.h>

#include "fuzz.h"

static const struct {
    const char *name;
    int (*fn)(const uint8_t *, size_t);
} harnesses[] = {
    {"csv", fuzz_csv},
    {"numfmt", fuzz_numfmt},
    {"params", fuzz_params},
    {"range", fuzz_range},
};

/* The harness of a path ".../fuzz/NAME/..." or "NAME/...", or NULL. */
static int (*harness_of(const char *path))(const uint8_t *, size_t)
{
    const char *p = strstr(path, "fuzz/");
    p = p ? p + 5 : path;
    for (size_t i = 0; i < sizeof harnesses / sizeof *harnesses; i++) {
        size_t n = strlen(harnesses[i].name);
        if (strncmp(p, harnesses[i].name, n) == 0 && p[n] == '/') return harnesses[i].fn;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (int i = 1; i < argc; i++) {
        int (*fn)(const uint8_t *, size_t) = harness_of(argv[i]);
        FILE *f = fopen(argv[i], "rb");
        if (!fn || !f) {
            printf("not ok - %s: %s\n", argv[i], fn ? "cannot open it" : "no harness for its folder");
            failed++;
            if (f) fclose(f);
            continue;
        }
        static uint8_t buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        /* a copy of exactly n bytes, so the sanitizers see a read past it */
        uint8_t *data = malloc(n ? n : 1);
        if (!data) return 1;
        memcpy(data, buf, n);
        fn(data, n);
        free(data);
        printf("ok - %s\n", argv[i]);
        passed++;
    }
    printf("# %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
