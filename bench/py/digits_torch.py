"""W6 in PyTorch (float64, one thread): the digits classifier, batches of
64 in file order, Linear(64, 32), ReLU, Linear(32, 10), CrossEntropyLoss,
SGD. Starting weights: nets.py.
    python3 digits_torch.py [epochs=20] [lr=0.1] [batch=64]
Timed: the epochs. Printed: the last epoch's mean batch loss and its last
batch's loss."""
import time

import torch

import nets

a = nets.args({"epochs": 20, "lr": 0.1, "batch": 64})
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
for l, lin in ((1, model[0]), (2, model[2])):
    w, b = nets.init(lin.in_features, lin.out_features, l)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor(w))
        lin.bias.copy_(torch.tensor(b))
X, y = nets.digits()
X, y = torch.tensor(X), torch.tensor(y)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, y),
                                     batch_size=a["batch"], shuffle=False)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=a["lr"])

t0 = time.perf_counter()
for epoch in range(a["epochs"]):
    total, batches = 0.0, 0
    for xb, yb in loader:
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total, batches = total + loss.item(), batches + 1
t1 = time.perf_counter()

print(f"seconds={t1 - t0:.9f}")
print(f"mean_loss={total / batches!r}")
print(f"loss={loss.item()!r}")
