/* main.c: runs every suite of C unit tests (no Lua involved) and prints the
 * summary line tests/run.sh reads. A new suite: write tests/unit/test_x.c
 * with a function void test_x(void), and add it to the list below. */
#include "unit.h"

int unit_passed, unit_failed;

void test_backward(void);
void test_bufcache(void);
void test_csv(void);
void test_expv(void);
void test_matmul(void);
void test_mem(void);
void test_model(void);
void test_numfmt(void);
void test_par(void);
void test_tensor(void);
void test_rng(void);
void test_sha256(void);

int main(void)
{
    test_backward();
    test_bufcache();
    test_csv();
    test_expv();
    test_matmul();
    test_mem();
    test_model();
    test_numfmt();
    test_par();
    test_tensor();
    test_rng();
    test_sha256();
    printf("# %d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed != 0;
}
