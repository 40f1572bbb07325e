"""A micrograd-style scalar autograd in plain Python: a Value holds one
float, the Values it came from and how to pass its gradient back to them;
backward() visits the graph in reverse topological order. Written for the
W7 row of the benchmark, the reference for scalar autograd in Python."""


class Value:
    __slots__ = ("data", "grad", "_prev", "_backward")

    def __init__(self, data, prev=()):
        self.data = data
        self.grad = 0.0
        self._prev = prev
        self._backward = None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = backward
        return out

    def __sub__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data - other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = backward
        return out

    def __neg__(self):
        return self * -1.0

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return Value(other) - self

    def __truediv__(self, other):
        return self * other ** -1 if isinstance(other, Value) else self * (1.0 / other)

    def __pow__(self, k):
        out = Value(self.data ** k, (self,))

        def backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = backward
        return out

    def tanh(self):
        import math
        t = math.tanh(self.data)
        out = Value(t, (self,))

        def backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for p in v._prev:
                    visit(p)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            if v._backward:
                v._backward()

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"
