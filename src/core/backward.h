/* backward.h: the backward step of each recorded operation (autograd.h).
 *
 * For out = op(a, b), given g = d(loss)/d(out) (contiguous, out's shape),
 * adds d(loss)/d(a) into ga and d(loss)/d(b) into gb. ga and gb are
 * contiguous, of a's and b's shapes, or NULL when that input needs no
 * gradient. a, b and out may be any views (strided). b is NULL when the
 * operation has one tensor input (a number operand is aux->scalar).
 * Fails only for lack of memory (matmul's packing buffers), having added
 * nothing into ga or gb for that step. */
#ifndef LUAGRAD_BACKWARD_H
#define LUAGRAD_BACKWARD_H

#include "core/autograd.h"

Status backward_op(AgOp op, const Tensor *g, const Tensor *out, const Tensor *a, const Tensor *b,
                   const AgAux *aux, Tensor *ga, Tensor *gb, Err *e);

#endif
