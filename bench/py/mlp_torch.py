"""W5 and W5b in PyTorch (float64, one thread), as the course writes it:
torch.nn.Sequential of Linear and Sigmoid, BCELoss, full batch, SGD.
    python3 mlp_torch.py [shape=8,6,4,1] [n=759] [epochs=1000] [lr=0.1]
Timed: the epochs. Printed: the last epoch's loss and the loss after."""
import time

import torch

import nets

a = nets.args({"shape": [8, 6, 4, 1], "n": 759, "epochs": 1000, "lr": 0.1})
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
sizes = a["shape"]
layers = []
for l in range(1, len(sizes)):
    lin = torch.nn.Linear(sizes[l - 1], sizes[l])
    w, b = nets.init(sizes[l - 1], sizes[l], l)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor(w))
        lin.bias.copy_(torch.tensor(b))
    layers += [lin, torch.nn.Sigmoid()]
model = torch.nn.Sequential(*layers)
X, y = nets.data(a["n"], sizes[0])
X, y = torch.tensor(X), torch.tensor(y).reshape(-1, 1)
criterion = torch.nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=a["lr"])

t0 = time.perf_counter()
for epoch in range(a["epochs"]):
    y_pred = model(X)
    loss = criterion(y_pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
t1 = time.perf_counter()

print(f"seconds={t1 - t0:.9f}")
print(f"loss={loss.item()!r}")
with torch.no_grad():
    print(f"final={criterion(model(X), y).item()!r}")
