/* main.c: runs every suite of C unit tests (no Lua involved) and prints the
 * summary line tests/run.sh reads. A new suite: write tests/unit/test_x.c
 * with a function void test_x(void), and add it to the list below. */
#include "unit.h"

int unit_passed, unit_failed;

void test_numfmt(void);
void test_tensor(void);

int main(void)
{
    test_numfmt();
    test_tensor();
    printf("# %d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed != 0;
}
