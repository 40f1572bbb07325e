/* autograd.h: reverse-mode automatic differentiation over tensors.
 *
 * An operation whose input requires a gradient records a Node on its
 * result: which operation, the inputs (each held by a reference) and what the
 * backward step needs. backward() walks the nodes from a one-element result
 * in reverse topological order and adds each input's share of the gradient
 * into it; leaves that require a gradient keep theirs in t->grad. */
#ifndef LUAGRAD_AUTOGRAD_H
#define LUAGRAD_AUTOGRAD_H

#include "core/tensor.h"

typedef struct Node Node;

/* Frees a node and drops its references to its inputs. */
void node_release(Node *n);

#endif
