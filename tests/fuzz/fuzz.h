/* fuzz.h: the entry points of luagrad's fuzz harnesses.
 *
 * Each harness (tests/fuzz/NAME.c) gives one function that takes any bytes,
 * runs them through a parser of luagrad and checks what came out; it calls
 * abort() (through FUZZ_CHECK) when a property does not hold, so libFuzzer
 * and the sanitizers see a crash. The same functions are linked two ways:
 *  - with libFuzzer (clang -fsanitize=fuzzer, make fuzz): NAME.c then also
 *    defines LLVMFuzzerTestOneInput (FUZZ_LIBFUZZER is set);
 *  - into build/fuzz_replay (any C compiler, make test): replay.c feeds it
 *    the seed corpus and the inputs that once crashed, tests/fuzz/NAME/. */
#ifndef LUAGRAD_FUZZ_H
#define LUAGRAD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int fuzz_csv(const uint8_t *data, size_t size);
int fuzz_numfmt(const uint8_t *data, size_t size);
int fuzz_range(const uint8_t *data, size_t size);
int fuzz_params(const uint8_t *data, size_t size);

/* A property that must hold: otherwise say which and where, and crash. */
#define FUZZ_CHECK(cond, ...)                                                   \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
            abort();                                                            \
        }                                                                       \
    } while (0)

#ifdef FUZZ_LIBFUZZER
#define FUZZ_ENTRY(fn)                                                          \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);               \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fn(data, size); }
#else
#define FUZZ_ENTRY(fn)
#endif

#endif
