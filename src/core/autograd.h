/* autograd.h: reverse-mode automatic differentiation over tensors.
 *
 * An operation whose input requires a gradient records a Node on its
 * result: which operation, the inputs (each held by a reference) and what the
 * backward step needs (AgAux). backward walks the nodes from a one-element
 * result in reverse topological order and adds each input's share of the
 * gradient into it; leaves that require a gradient keep theirs in t->grad.
 *
 * Recording is one call after the forward computation:
 *   if (ag_wanted(a, b)) ag_record(out, AG_MUL, a, b, &aux, &e);
 * Inputs that are numbers (t * 2) are not tensors: b is NULL and the number
 * is aux.scalar. */
#ifndef LUAGRAD_AUTOGRAD_H
#define LUAGRAD_AUTOGRAD_H

#include "core/tensor.h"

typedef enum AgOp {
    AG_ADD, AG_SUB, AG_MUL, AG_DIV,  /* with broadcasting; a number is aux.scalar */
    AG_NEG,
    AG_POW,          /* a ^ aux.scalar */
    AG_MATMUL,
    AG_EXP, AG_LOG, AG_SQRT, AG_ABS, AG_TANH, AG_SIGMOID, AG_RELU,
    AG_CLAMP,        /* aux.scalar = lo, aux.scalar2 = hi */
    AG_SOFTMAX, AG_LOG_SOFTMAX,      /* along aux.dim (1 or 2) */
    AG_SUM, AG_MEAN, /* aux.dim 0: the whole tensor (out has 1 element) */
    AG_T,            /* transpose view */
    AG_NARROW,       /* aux.dim, aux.start (0-based), aux.len */
    AG_RESHAPE,      /* out has a's elements in row-major order */
    AG_INDEX,        /* rows aux.index[0 .. aux.nindex-1] (0-based) of a */
    AG_NOPS
} AgOp;

typedef struct AgAux {
    double scalar, scalar2;
    int scalar_first;   /* the number was the left operand: s - a, s / a */
    int dim;
    size_t start, len;
    const size_t *index;  /* copied by ag_record */
    size_t nindex;
} AgAux;

typedef struct Node Node;

/* Is autograd recording (not inside no_grad)? */
int ag_enabled(void);
void ag_set_enabled(int on);

/* Should an operation on a (and b, which may be NULL) be recorded? */
int ag_wanted(const Tensor *a, const Tensor *b);

/* Records op on out (which must not have a node yet), holding references to
 * a and b. */
Status ag_record(Tensor *out, AgOp op, Tensor *a, Tensor *b, const AgAux *aux, Err *e);

/* Frees a node and drops its references to its inputs. */
void node_release(Node *n);

#endif
