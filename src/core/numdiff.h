/* numdiff.h: the central difference, the one formula behind every numeric
 * derivative (model_numeric_grad, grad.numeric of a function):
 *
 *   f'(p) ~ (f(p + h) - f(p - h)) / ((p + h) - (p - h)),  h = step * max(|p|, 1)
 *
 * The step grows with |p| so that p + h differs from p in enough digits, and
 * the divisor is the step actually taken in floating point, not 2h. */
#ifndef LUAGRAD_NUMDIFF_H
#define LUAGRAD_NUMDIFF_H

/* h for a derivative at p with the relative step `step`. */
double numdiff_step(double p, double step);

/* The derivative from up = f(p + h) and down = f(p - h). */
double numdiff_central(double up, double down, double p, double h);

#endif
