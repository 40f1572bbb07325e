/* autograd.c: see autograd.h.
 *
 * backward in two passes, both over explicit arrays (no recursion, so a
 * chain of a million operations is as safe as one of ten):
 *  1. breadth first from the root, every tensor with a node is listed once
 *     and counts how many recorded operations consume it (deps);
 *  2. Kahn's order: a tensor is ready when every consumer has added its
 *     share into its gradient; its backward step then runs, its gradient
 *     buffer is freed, and (unless retain) its node drops its inputs.
 * The gradient of an intermediate tensor lives in node->g only between
 * those two moments. */
#include "core/autograd.h"

#include <string.h>

#include "core/backward.h"
#include "core/mem.h"

struct Node {
    AgOp op;
    Tensor *in[2];
    AgAux aux;
    size_t *index;  /* our copy of aux.index */
    /* during backward only */
    Tensor *g;      /* d(root)/d(this tensor), contiguous */
    size_t deps;    /* consumers that have not yet added into g */
    size_t pos;     /* where in backward's list of all tensors */
    int seen;
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

void node_free(Node *n, Tensor *in[2])
{
    in[0] = n->in[0];
    in[1] = n->in[1];
    tensor_release(n->g);
    if (n->index) mem_free(n->index, n->aux.nindex * sizeof *n->index);
    mem_free(n, sizeof *n);
}

void node_release(Node *n)
{
    if (!n) return;
    Tensor *in[2];
    node_free(n, in);
    tensor_release(in[0]);
    tensor_release(in[1]);
}

/* ---- names ------------------------------------------------------------------ */

static const char *const op_names[AG_NOPS] = {
    [AG_ADD] = "AddBackward", [AG_SUB] = "SubBackward", [AG_MUL] = "MulBackward",
    [AG_DIV] = "DivBackward", [AG_NEG] = "NegBackward", [AG_POW] = "PowBackward",
    [AG_MATMUL] = "MmBackward", [AG_EXP] = "ExpBackward", [AG_LOG] = "LogBackward",
    [AG_SQRT] = "SqrtBackward", [AG_ABS] = "AbsBackward", [AG_TANH] = "TanhBackward",
    [AG_SIGMOID] = "SigmoidBackward", [AG_RELU] = "ReluBackward",
    [AG_CLAMP] = "ClampBackward", [AG_SOFTMAX] = "SoftmaxBackward",
    [AG_LOG_SOFTMAX] = "LogSoftmaxBackward", [AG_SUM] = "SumBackward",
    [AG_MEAN] = "MeanBackward", [AG_T] = "TBackward", [AG_NARROW] = "NarrowBackward",
    [AG_RESHAPE] = "ReshapeBackward", [AG_INDEX] = "IndexBackward",
    [AG_CAT] = "CatBackward", [AG_DOT] = "DotBackward", [AG_VAR] = "VarBackward",
    [AG_MSE] = "MseLossBackward", [AG_BCE] = "BinaryCrossEntropyBackward",
    [AG_NLL] = "NllLossBackward",
};

const char *ag_op_name(AgOp op)
{
    return op >= 0 && op < AG_NOPS && op_names[op] ? op_names[op] : "UnknownBackward";
}

int ag_op_of(const Tensor *t) { return t->node ? (int)t->node->op : -1; }

Tensor *ag_input(const Tensor *t, int i) { return t->node ? t->node->in[i] : NULL; }

/* ---- the list of tensors of a graph --------------------------------------- */

typedef struct List {
    Tensor **t;
    size_t n, cap;
} List;

static Status list_push(List *l, Tensor *t, Err *e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;  /* 128 bytes: mem's cache of small blocks */
        Tensor **p = mem_realloc(l->t, l->cap * sizeof *p, cap * sizeof *p);
        if (!p) return err_set(e, ST_ENOMEM, "not enough memory to walk the graph");
        l->t = p;
        l->cap = cap;
    }
    l->t[l->n++] = t;
    return ST_OK;
}

static void list_free(List *l) { mem_free(l->t, l->cap * sizeof *l->t); }

static const char FREED[] =
    "the graph behind this tensor was freed by an earlier backward; pass "
    "{ retain_graph = true } to the first";

/* Every tensor with a node reachable from root (root first), each once;
 * counts deps on the way. Marks are cleared by the caller (clear_marks). */
static Status collect(Tensor *root, List *all, Err *e)
{
    root->node->seen = 1;
    root->node->pos = 0;
    Status st = list_push(all, root, e);
    for (size_t k = 0; st == ST_OK && k < all->n; k++) {
        Tensor *t = all->t[k];
        if (t->graph_freed) return err_set(e, ST_EINVAL, FREED);
        for (int i = 0; i < 2 && st == ST_OK; i++) {
            Tensor *x = t->node->in[i];
            if (!x || !x->node) continue;
            x->node->deps++;
            if (!x->node->seen) {
                x->node->seen = 1;
                x->node->pos = all->n;
                st = list_push(all, x, e);
            }
        }
    }
    return st;
}

/* After a failed backward: the tensors not yet done (still in all, alive)
 * lose their marks and temporaries. */
static void clear_marks(List *all)
{
    for (size_t k = 0; k < all->n; k++) {
        if (!all->t[k]) continue;
        Node *n = all->t[k]->node;
        n->seen = 0;
        n->deps = 0;
        tensor_release(n->g);
        n->g = NULL;
    }
}

/* The gradient buffer that x's share goes into: its leaf grad, or the
 * temporary of an intermediate tensor; NULL when x needs no gradient.
 * *fresh (when not NULL) is set when the buffer is a new temporary, left
 * unzeroed for backward_op_fresh to write whole (a leaf's grad is always
 * zeroed: it outlives the pass). */
static Status grad_target(Tensor *x, Tensor **out, int *fresh, Err *e)
{
    *out = NULL;
    if (fresh) *fresh = 0;
    if (!x) return ST_OK;
    Tensor **slot = x->node ? &x->node->g : x->requires_grad ? &x->grad : NULL;
    if (!slot) return ST_OK;
    if (!*slot) {
        /* small ones (scalar loops) are zeroed with the allocation, which
         * costs less than the checks for writing them whole */
        int temp = x->node && fresh && tensor_numel(x) > TENSOR_SMALL_NUMEL;
        *slot = tensor_new(x->ndim, x->rows, x->cols, !temp, e);
        if (!*slot) return ST_ENOMEM;
        if (temp) *fresh = 1;
    }
    *out = *slot;
    return ST_OK;
}

/* For t = a + b (or a - b, a + s, a - s) where a is an intermediate of
 * t's shape whose gradient has no buffer yet: a's share is t's gradient
 * itself, so a takes that buffer (a reference) instead of a copy. Returns
 * whether it did; the step then has no gradient of a to write. (A copy
 * would be 0 + g: the same but for a -0, which is +0 there.) */
static int pass_through(Tensor *t)
{
    Node *n = t->node;
    Tensor *a = n->in[0];
    if (n->op != AG_ADD && n->op != AG_SUB) return 0;
    if (!a || !a->node || a->node->g || a == n->in[1]) return 0;
    if (!n->in[1] && n->aux.scalar_first) return 0;  /* s - a */
    if (a->ndim != t->ndim || a->rows != t->rows || a->cols != t->cols) return 0;
    tensor_retain(n->g);
    a->node->g = n->g;
    return 1;
}

/* The graph behind t is no longer needed: its node drops its inputs (they
 * go when nothing else holds them); t keeps its op name for grad_fn. */
static void drop_inputs(Tensor *t)
{
    Node *n = t->node;
    Tensor *in0 = n->in[0], *in1 = n->in[1];
    n->in[0] = n->in[1] = NULL;
    t->graph_freed = 1;
    tensor_release(in0);
    tensor_release(in1);
}

Status ag_backward(Tensor *root, int retain, Err *e)
{
    if (tensor_numel(root) != 1) {
        char s[64];
        return err_set(e, ST_EINVAL, "the tensor must have one element (a loss), this one has "
                       "shape %s", tensor_shape_text(root, s, sizeof s));
    }
    if (!root->node) {
        if (!root->requires_grad)
            return err_set(e, ST_EINVAL, "the tensor does not require a gradient and was not "
                           "made by an operation on one that does");
        if (!root->grad && !(root->grad = tensor_new(root->ndim, root->rows, root->cols, 1, e)))
            return ST_ENOMEM;
        root->grad->data[0] += 1;
        return ST_OK;
    }
    if (root->graph_freed) return err_set(e, ST_EINVAL, FREED);

    List all = {0}, ready = {0};
    Status st = collect(root, &all, e);
    /* Leaves' grads are allocated first, and the ready list whole, so that
     * running out of memory later is rare (only an intermediate gradient). */
    for (size_t k = 0; st == ST_OK && k < all.n; k++)
        for (int i = 0; i < 2 && st == ST_OK; i++) {
            Tensor *x = all.t[k]->node->in[i], *g;
            if (x && !x->node) st = grad_target(x, &g, NULL, e);
        }
    if (st == ST_OK) {
        ready.t = mem_alloc(all.n * sizeof *ready.t);
        if (ready.t) ready.cap = all.n;
        Tensor *seed = ready.t ? tensor_new(root->ndim, root->rows, root->cols, 0, e) : NULL;
        if (!seed) {
            st = err_set(e, ST_ENOMEM, "not enough memory to walk the graph");
        } else {
            ready.t[ready.n++] = root;
            seed->data[0] = 1;
            root->node->g = seed;
        }
    }
    while (st == ST_OK && ready.n > 0) {
        Tensor *t = ready.t[--ready.n];
        Node *n = t->node;
        Tensor *ga, *gb;
        int fa, fb;
        ga = NULL, fa = 0;
        if (!pass_through(t) && (st = grad_target(n->in[0], &ga, &fa, e)) != ST_OK) break;
        if ((st = grad_target(n->in[1], &gb, &fb, e)) != ST_OK) break;
        if ((st = backward_op_fresh(n->op, n->g, t, n->in[0], n->in[1], &n->aux, ga, gb,
                                    (fa ? BW_FRESH_A : 0) | (fb ? BW_FRESH_B : 0), e)) != ST_OK)
            break;
        tensor_release(n->g);
        n->g = NULL;
        n->seen = 0;
        all.t[n->pos] = NULL;  /* done: t may be freed below */
        for (int i = 0; i < 2; i++) {
            Tensor *x = n->in[i];
            if (x && x->node && --x->node->deps == 0) {
                /* the ready list holds its own reference: drop_inputs
                 * below may release the last other one */
                tensor_retain(x);
                ready.t[ready.n++] = x;
            }
        }
        if (!retain) drop_inputs(t);
        if (t != root) tensor_release(t);
    }
    if (st != ST_OK) clear_marks(&all);
    for (size_t k = 0; k < ready.n; k++)
        if (ready.t[k] != root) tensor_release(ready.t[k]);
    list_free(&all);
    list_free(&ready);
    return st;
}
