/* sha256.h: the SHA-256 hash (FIPS 180-4), for the provenance of a run: the
 * hash of a script's text says exactly which script ran. Streaming: init,
 * update any number of times, final. No allocation, never fails. */
#ifndef LUAGRAD_SHA256_H
#define LUAGRAD_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct Sha256 {
    uint32_t h[8];         /* the hash value so far */
    uint64_t length;       /* bytes hashed so far */
    unsigned char block[64];
    size_t used;           /* bytes waiting in block */
} Sha256;

#define SHA256_HEX_SIZE 65 /* 64 hex digits and the terminating zero */

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t size);
void sha256_final(Sha256 *s, unsigned char digest[32]);

/* The hash of data as 64 lowercase hex digits, like sha256sum prints. */
void sha256_hex(const void *data, size_t size, char hex[SHA256_HEX_SIZE]);

#endif
