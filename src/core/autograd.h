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
    AG_CAT,          /* matrices a and b joined: one under the other (aux.dim 1) or
                      * side by side (aux.dim 2) */
    AG_DOT,          /* out[1] = sum over row-major k of a_k * b_k (same numel) */
    AG_VAR,          /* variance along aux.dim (0: all, as AG_SUM); aux.scalar is
                      * the divisor (n - 1, or n when not unbiased) */
    /* the losses of nn (src/core/criterion.h); out has 1 element and
     * aux.scalar is the divisor of the reduction (1 for "sum", n for "mean") */
    AG_MSE,          /* a prediction, b target of a's shape */
    AG_BCE,          /* a probabilities, b targets in [0, 1] (no gradient for b) */
    AG_NLL,          /* a log-probabilities n x C (or C), class aux.index[i] of row i */
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
/* Frees a node without dropping its references: they are handed to the
 * caller in in[0], in[1] (NULL when absent). tensor_release uses it to free
 * a long graph without recursion. */
void node_free(Node *n, Tensor *in[2]);

/* ---- backward ----------------------------------------------------------- */

/* The operation's name as PyTorch's grad_fn shows it: "MulBackward". */
const char *ag_op_name(AgOp op);
/* The operation that made t, or -1 for a leaf (also after the graph was
 * freed, the operation stays known: see ag_backward). */
int ag_op_of(const Tensor *t);
/* The inputs of t's node (NULL when absent or freed). */
Tensor *ag_input(const Tensor *t, int i);

/* Adds d(root)/d(leaf) into leaf->grad of every leaf behind root that
 * requires a gradient (allocated on first use, contiguous, the leaf's
 * shape). root must have one element. Unless retain, the graph is released
 * as it is walked: each node drops its inputs and its tensor is marked
 * graph_freed. Iterative: any depth of graph. Errors: root of more than one
 * element, root that needs no gradient, a freed graph, out of memory (the
 * steps before it have added their shares, and without retain released
 * their part of the graph: the gradients are then incomplete). */
Status ag_backward(Tensor *root, int retain, Err *e);

#endif
