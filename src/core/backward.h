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

/* The same, where ga (fresh & BW_FRESH_A) or gb (BW_FRESH_B) is a new
 * gradient buffer that holds nothing yet (not zeroed): the step writes it
 * whole where it can, else zeroes it first; either way it ends as adding
 * into zeros would leave it, bit for bit. autograd's intermediate
 * gradients come this way, so that most are never zeroed. */
#define BW_FRESH_A 1
#define BW_FRESH_B 2
Status backward_op_fresh(AgOp op, const Tensor *g, const Tensor *out, const Tensor *a,
                         const Tensor *b, const AgAux *aux, Tensor *ga, Tensor *gb, int fresh,
                         Err *e);

#endif
