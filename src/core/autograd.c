/* autograd.c: see autograd.h. */
#include "core/autograd.h"

#include <string.h>

#include "core/mem.h"

struct Node {
    AgOp op;
    Tensor *in[2];
    AgAux aux;
    size_t *index;  /* our copy of aux.index */
};

static int enabled = 1;

int ag_enabled(void) { return enabled; }
void ag_set_enabled(int on) { enabled = on; }

static int tracked(const Tensor *t) { return t && (t->requires_grad || t->node); }

int ag_wanted(const Tensor *a, const Tensor *b) { return enabled && (tracked(a) || tracked(b)); }

Status ag_record(Tensor *out, AgOp op, Tensor *a, Tensor *b, const AgAux *aux, Err *e)
{
    Node *n = mem_alloc(sizeof *n);
    if (!n) return err_set(e, ST_ENOMEM, "not enough memory for the graph");
    memset(n, 0, sizeof *n);
    n->op = op;
    if (aux) n->aux = *aux;
    if (aux && aux->nindex) {
        n->index = mem_alloc(aux->nindex * sizeof *n->index);
        if (!n->index) {
            mem_free(n, sizeof *n);
            return err_set(e, ST_ENOMEM, "not enough memory for the graph");
        }
        memcpy(n->index, aux->index, aux->nindex * sizeof *n->index);
        n->aux.index = n->index;
    }
    n->in[0] = a;
    n->in[1] = b;
    if (a) tensor_retain(a);
    if (b) tensor_retain(b);
    out->node = n;
    return ST_OK;
}

void node_release(Node *n)
{
    if (!n) return;
    for (int i = 0; i < 2; i++) tensor_release(n->in[i]);
    if (n->index) mem_free(n->index, n->aux.nindex * sizeof *n->index);
    mem_free(n, sizeof *n);
}
