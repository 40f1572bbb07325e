/* autograd.c: see autograd.h. */
#include "core/autograd.h"

#include "core/mem.h"

struct Node {
    int op;
    Tensor *in[2];
};

void node_release(Node *n)
{
    if (!n) return;
    for (int i = 0; i < 2; i++) tensor_release(n->in[i]);
    mem_free(n, sizeof *n);
}
