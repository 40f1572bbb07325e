/* test_sha256.c: SHA-256 against the NIST test vectors (FIPS 180-4 example
 * messages: "abc", the two-block 448-bit and 896-bit messages, a million
 * 'a'; and the empty message), and against sha256sum (GNU coreutils) for the
 * lengths around the padding boundaries (55, 56, 63, 64, 65, 119, 120 bytes
 * of 'x'). Streaming in pieces must give the one-shot result. */
#include <string.h>

#include "core/sha256.h"
#include "unit.h"

void test_sha256(void);

static int hashes_to(const char *msg, size_t n, const char *want)
{
    char hex[SHA256_HEX_SIZE];
    sha256_hex(msg, n, hex);
    if (strcmp(hex, want) == 0) return 1;
    printf("    sha256 of %zu bytes = %s, want %s\n", n, hex, want);
    return 0;
}

void test_sha256(void)
{
    CHECK(hashes_to("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    CHECK(hashes_to("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(hashes_to(m448, strlen(m448),
                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    CHECK(hashes_to(m896, strlen(m896),
                    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"));

    /* A million 'a', fed in uneven pieces through the streaming interface. */
    static char a[1000000];
    memset(a, 'a', sizeof a);
    CHECK(hashes_to(a, sizeof a, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    Sha256 s;
    unsigned char d1[32], d2[32];
    sha256_init(&s);
    size_t done = 0, piece = 1;
    while (done < sizeof a) {
        size_t n = piece < sizeof a - done ? piece : sizeof a - done;
        sha256_update(&s, a + done, n);
        done += n;
        piece = piece * 7 % 1000 + 1;  /* 1, 8, 57, 400, ...: crosses every block offset */
    }
    sha256_final(&s, d1);
    sha256_init(&s);
    sha256_update(&s, a, sizeof a);
    sha256_final(&s, d2);
    CHECK(memcmp(d1, d2, 32) == 0);

    /* Padding boundaries: one block or two for the length field. */
    static const struct { size_t n; const char *hex; } x[] = {
        {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
        {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
        {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
        {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
        {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
        {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
        {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
    };
    char xs[120];
    memset(xs, 'x', sizeof xs);
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) CHECK(hashes_to(xs, x[i].n, x[i].hex));
}
