#!/usr/bin/python3
"""Reference numbers for examples/backprop.lua, quadratic.lua,
linear_regression.lua and logistic_regression.lua (lectures 4-6), computed two
independent ways:

  (a) plain Python floats, every step written out: the gradients derived by
      hand, the updates in the order PyTorch documents them
      (SGD p = p - lr*g; momentum buf = g on the first step, then
      buf = mu*buf + g, p = p - lr*buf; Adam as torch.optim.Adam documents);
  (b) PyTorch in float64 (autograd, torch.nn.Linear, MSELoss, BCELoss,
      torch.optim.SGD / Adam), one thread.

It checks that (a) and (b) agree to 1e-12 (relative) and prints the numbers
with 17 significant digits, as a Lua table for tests/test_lectures.lua.
Not run by `make test`. Run it from the repository's root with

    /usr/bin/python3 tests/reference/lectures.py            (a and b)
    /usr/bin/python3 tests/reference/lectures.py --no-torch (a only)

CSV rows: row k is epoch k - 1 (epochs count from 0). backprop/quadratic:
the parameters after the epoch, the loss of the epoch's last sample computed
before its update. linear/logistic: the parameters after the epoch's step,
the loss before it.
"""
import math
import sys

ROWS = (1, 2, 10, 100, 1000)  # which CSV rows to record (those that exist)
X, Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


# ---- (a) plain Python -------------------------------------------------------

def a_backprop(epochs=100, lr=0.01):
    """Lecture 4: yhat = x*w, loss (yhat - y)^2 per sample, w -= lr*grad."""
    w, rows, grads = 1.0, [], []
    for epoch in range(epochs):
        for x, y in zip(X, Y):
            d = x * w - y
            l = d * d
            g = 2.0 * d * x
            grads.append((x, y, g))
            w = w - lr * g
        rows.append({"w": w, "loss": l})
    return rows, grads, {"predict4": 4.0 * w}


def a_quadratic(epochs=100, lr=0.01):
    """Lecture 4's exercise: yhat = w1 x^2 + w2 x + b, same loop."""
    w1 = w2 = b = 1.0
    rows, grads = [], []
    for epoch in range(epochs):
        for x, y in zip(X, Y):
            d = w1 * x * x + w2 * x + b - y
            l = d * d
            g1, g2, gb = 2.0 * d * x * x, 2.0 * d * x, 2.0 * d
            grads.append((x, y, g1, g2, gb))
            w1, w2, b = w1 - lr * g1, w2 - lr * g2, b - lr * gb
        rows.append({"w1": w1, "w2": w2, "b": b, "loss": l})
    return rows, grads, {"predict4": w1 * 16.0 + w2 * 4.0 + b}


class Sgd:
    def __init__(self, lr, momentum=0.0):
        self.lr, self.mu, self.buf = lr, momentum, None

    def step(self, p, g):
        if self.mu != 0.0:
            if self.buf is None:
                self.buf = list(g)
            else:
                self.buf = [self.mu * bi + gi for bi, gi in zip(self.buf, g)]
            g = self.buf
        return [pi - self.lr * gi for pi, gi in zip(p, g)]


class Adam:
    """torch.optim.Adam (amsgrad off, weight decay 0), single-tensor path."""
    def __init__(self, lr, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, betas[0], betas[1], eps
        self.t, self.m, self.v = 0, None, None

    def step(self, p, g):
        if self.m is None:
            self.m, self.v = [0.0] * len(p), [0.0] * len(p)
        self.t += 1
        self.m = [self.b1 * mi + (1 - self.b1) * gi for mi, gi in zip(self.m, g)]
        self.v = [self.b2 * vi + (1 - self.b2) * gi * gi for vi, gi in zip(self.v, g)]
        bc1 = 1 - self.b1 ** self.t
        bc2 = 1 - self.b2 ** self.t
        step_size = self.lr / bc1
        out = []
        for pi, mi, vi in zip(p, self.m, self.v):
            denom = math.sqrt(vi) / math.sqrt(bc2) + self.eps
            out.append(pi - step_size * (mi / denom))
        return out


def make_opt(name, lr):
    if name == "sgd":
        return Sgd(lr)
    if name == "momentum":
        return Sgd(lr, 0.9)
    return Adam(lr)


def a_linear(optimizer="sgd", reduction="sum", epochs=1000, lr=0.01):
    """Lecture 5: nn.Linear(1, 1) from w = 0.5, b = 0, MSE, full batch."""
    w, b = 0.5, 0.0
    opt, n, rows = make_opt(optimizer, lr), len(X), []
    for epoch in range(epochs):
        r = [x * w + b - y for x, y in zip(X, Y)]
        l = sum(ri * ri for ri in r)
        gw = sum(2.0 * ri * x for ri, x in zip(r, X))
        gb = sum(2.0 * ri for ri in r)
        if reduction == "mean":
            l, gw, gb = l / n, gw / n, gb / n
        w, b = opt.step([w, b], [gw, gb])
        rows.append({"w": w, "b": b, "loss": l})
    return rows, {"predict4": 4.0 * w + b}


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def clamped_log(v):
    return max(math.log(v), -100.0) if v > 0 else -100.0


def a_logistic(reduction="sum", epochs=1000, lr=0.01):
    """Lecture 6: p = sigmoid(x*w + b), BCE with logs clamped at -100."""
    xs, ys = [1.0, 2.0, 3.0], [0.0, 0.0, 1.0]
    w, b, n, rows = 0.5, 0.0, 3, []
    for epoch in range(epochs):
        p = [sigmoid(x * w + b) for x in xs]
        l = -sum(y * clamped_log(pi) + (1 - y) * clamped_log(1 - pi) for pi, y in zip(p, ys))
        # dL/dp = (p - y) / (p (1 - p)) (PyTorch guards the denominator with
        # 1e-12), times dp/dz = p (1 - p)
        dz = [(pi - y) / max(pi * (1 - pi), 1e-12) * (pi * (1 - pi)) for pi, y in zip(p, ys)]
        gw = sum(d * x for d, x in zip(dz, xs))
        gb = sum(dz)
        if reduction == "mean":
            l, gw, gb = l / n, gw / n, gb / n
        w, b = w - lr * gw, b - lr * gb
        rows.append({"w": w, "b": b, "loss": l})
    return rows, {"p1": sigmoid(w + b), "p4": sigmoid(4 * w + b), "p7": sigmoid(7 * w + b)}


# ---- (b) PyTorch, float64 ---------------------------------------------------

def torch_all():
    import torch
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    out = {}

    def tb_backprop(epochs=100):
        w = torch.tensor([1.0], requires_grad=True)
        rows, grads = [], []
        for epoch in range(epochs):
            for x, y in zip(X, Y):
                yp = x * w
                l = (yp - y) * (yp - y)
                l.backward()
                grads.append((x, y, w.grad.item()))
                w.data = w.data - 0.01 * w.grad.data
                w.grad.data.zero_()
            rows.append({"w": w.item(), "loss": l.item()})
        return rows, grads, {"predict4": (4.0 * w).item()}

    def tb_quadratic(epochs=100):
        w1 = torch.tensor([1.0], requires_grad=True)
        w2 = torch.tensor([1.0], requires_grad=True)
        b = torch.tensor([1.0], requires_grad=True)
        rows, grads = [], []
        for epoch in range(epochs):
            for x, y in zip(X, Y):
                yp = w1 * x * x + w2 * x + b
                l = (yp - y) * (yp - y)
                l.backward()
                grads.append((x, y, w1.grad.item(), w2.grad.item(), b.grad.item()))
                for p in (w1, w2, b):
                    p.data = p.data - 0.01 * p.grad.data
                    p.grad.data.zero_()
            rows.append({"w1": w1.item(), "w2": w2.item(), "b": b.item(), "loss": l.item()})
        return rows, grads, {"predict4": (w1 * 16.0 + w2 * 4.0 + b).item()}

    def linear_model():
        m = torch.nn.Linear(1, 1)
        with torch.no_grad():
            m.weight.fill_(0.5)
            m.bias.fill_(0.0)
        return m

    def tb_linear(optimizer, reduction, epochs=1000, lr=0.01):
        m = linear_model()
        x, y = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([[2.0], [4.0], [6.0]])
        crit = torch.nn.MSELoss(reduction=reduction)
        if optimizer == "adam":
            opt = torch.optim.Adam(m.parameters(), lr=lr)
        else:
            opt = torch.optim.SGD(m.parameters(), lr=lr,
                                  momentum=0.9 if optimizer == "momentum" else 0.0)
        rows = []
        for epoch in range(epochs):
            l = crit(m(x), y)
            opt.zero_grad()
            l.backward()
            opt.step()
            rows.append({"w": m.weight.item(), "b": m.bias.item(), "loss": l.item()})
        return rows, {"predict4": m(torch.tensor([[4.0]])).item()}

    def tb_logistic(reduction, epochs=1000, lr=0.01):
        m = linear_model()
        x, y = torch.tensor([[1.0], [2.0], [3.0]]), torch.tensor([[0.0], [0.0], [1.0]])
        crit = torch.nn.BCELoss(reduction=reduction)
        opt = torch.optim.SGD(m.parameters(), lr=lr)
        rows = []
        for epoch in range(epochs):
            l = crit(torch.sigmoid(m(x)), y)
            opt.zero_grad()
            l.backward()
            opt.step()
            rows.append({"w": m.weight.item(), "b": m.bias.item(), "loss": l.item()})
        p = lambda v: torch.sigmoid(m(torch.tensor([[v]]))).item()
        return rows, {"p1": p(1.0), "p4": p(4.0), "p7": p(7.0)}

    out["backprop"] = tb_backprop()
    out["quadratic"] = tb_quadratic()
    for o in ("sgd", "momentum", "adam"):
        for r in ("sum", "mean"):
            out["linear_%s_%s" % (o, r)] = tb_linear(o, r)
    out["linear_adam_mean_lr01_e200"] = tb_linear("adam", "mean", epochs=200, lr=0.1)
    for r in ("sum", "mean"):
        out["logistic_%s" % r] = tb_logistic(r)
    return out


# ---- compare and print ------------------------------------------------------

def plain_all():
    out = {"backprop": a_backprop(), "quadratic": a_quadratic()}
    for o in ("sgd", "momentum", "adam"):
        for r in ("sum", "mean"):
            out["linear_%s_%s" % (o, r)] = a_linear(o, r)
    # the example command: optimizer=adam lr=0.1 epochs=200 reduction=mean
    out["linear_adam_mean_lr01_e200"] = a_linear("adam", "mean", epochs=200, lr=0.1)
    for r in ("sum", "mean"):
        out["logistic_%s" % r] = a_logistic(r)
    return out


def flatten(v, prefix=""):
    """All numbers of a result as (name, value) pairs."""
    if isinstance(v, dict):
        for k in sorted(v):
            yield from flatten(v[k], prefix + "." + k)
    elif isinstance(v, (list, tuple)):
        for i, e in enumerate(v):
            yield from flatten(e, "%s[%d]" % (prefix, i + 1))
    else:
        yield prefix, float(v)


def g17(v):
    return "%.17g" % v


def main():
    a = plain_all()
    worst = 0.0
    if "--no-torch" not in sys.argv:
        b = torch_all()
        for name in a:
            fa, fb = dict(flatten(a[name])), dict(flatten(b[name]))
            assert fa.keys() == fb.keys(), name
            for k in fa:
                d = abs(fa[k] - fb[k]) / max(1.0, abs(fb[k]))
                worst = max(worst, d)
                if d > 1e-12:
                    sys.exit("%s%s: plain %s, torch %s" % (name, k, g17(fa[k]), g17(fb[k])))
        print("-- plain Python and PyTorch float64 agree: largest relative difference %.3g"
              % worst)
    print("return {")
    for name, res in a.items():
        rows, extra = res[0], res[-1]
        print("  %s = {" % name)
        for k in ROWS:
            if k <= len(rows):
                cells = ", ".join("%s = %s" % (c, g17(rows[k - 1][c])) for c in sorted(rows[k - 1]))
                print("    [%d] = { %s }," % (k, cells))
        if len(rows) not in ROWS:
            r = rows[-1]
            print("    [%d] = { %s }," % (len(rows), ", ".join(
                "%s = %s" % (c, g17(r[c])) for c in sorted(r))))
        for k in sorted(extra):
            print("    %s = %s," % (k, g17(extra[k])))
        if len(res) == 3:
            print("    grads = {")
            for g in res[1][:6]:
                print("      { %s }," % ", ".join(g17(v) for v in g))
            print("    },")
        print("  },")
    print("}")


if __name__ == "__main__":
    main()
