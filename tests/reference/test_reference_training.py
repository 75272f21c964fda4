"""Does the reference training loop follow the contract, and does it learn Fashion-MNIST?"""

import pytest
import torch
from torch import nn

from course_lib.data import load_data_fashion_mnist


class _Linear(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.modes = []

    def forward(self, X):
        self.modes.append(self.training)
        return self.lin(X)


def _batches():
    torch.manual_seed(0)
    X, y = torch.randn(10, 2), torch.randint(0, 2, (10,))
    return [(X[:4], y[:4]), (X[4:8], y[4:8]), (X[8:], y[8:])]  # ragged last batch


def test_train_epoch_with_optimizer_averages_per_example(ref):
    """With an Optimizer: train mode, mean loss per example (not per batch), and one step per batch?"""
    torch.manual_seed(0)
    net = _Linear().eval()
    loss = nn.CrossEntropyLoss(reduction="none")
    before = net.lin.weight.detach().clone()
    batches = _batches()
    with torch.no_grad():
        expected_loss = sum(float(loss(net.lin(X), y).sum()) for X, y in batches) / 10  # by hand, over 10 examples
    mean_loss, acc = ref.training.train_epoch(net, batches, loss, torch.optim.SGD(net.parameters(), lr=0.0))
    assert net.modes == [True, True, True]
    assert abs(mean_loss - expected_loss) < 1e-6 and 0 <= acc <= 1  # lr=0: the loss is fixed
    assert torch.equal(net.lin.weight, before)


def test_train_epoch_with_optimizer_steps_once_per_batch_on_fresh_gradients(ref):
    """With lr > 0, is each batch one SGD step on that batch's mean loss alone (gradients zeroed between)?"""
    torch.manual_seed(0)
    net, loss, batches = _Linear(), nn.CrossEntropyLoss(reduction="none"), _batches()
    W, b = net.lin.weight.detach().clone(), net.lin.bias.detach().clone()
    for X, y in batches:  # oracle: the update rule by hand, with autograd on fresh leaves per batch
        W_, b_ = W.clone().requires_grad_(), b.clone().requires_grad_()
        loss(X @ W_.T + b_, y).mean().backward()
        W, b = W - 0.5 * W_.grad, b - 0.5 * b_.grad
    ref.training.train_epoch(net, batches, loss, torch.optim.SGD(net.parameters(), lr=0.5))
    assert torch.allclose(net.lin.weight, W, atol=1e-6) and torch.allclose(net.lin.bias, b, atol=1e-6)


def test_train_epoch_with_function_updater_gets_batch_sizes(ref):
    """With a function updater: sum().backward(), then updater(batch size) for each batch?"""
    net = _Linear()
    seen = []

    def updater(batch_size):
        seen.append((batch_size, net.lin.weight.grad.clone()))
        net.lin.weight.grad.zero_()
        net.lin.bias.grad.zero_()

    batches = _batches()
    ref.training.train_epoch(net, batches, nn.CrossEntropyLoss(reduction="none"), updater)
    assert [s for s, _ in seen] == [4, 4, 2]
    X, y = batches[0]
    w = net.lin.weight.detach().clone().requires_grad_()
    nn.functional.cross_entropy(X @ w.T + net.lin.bias.detach(), y, reduction="sum").backward()
    torch.testing.assert_close(seen[0][1], w.grad)  # summed, not averaged, gradient


def test_train_history_and_callback(ref):
    """Is there one record per epoch, with the four keys, passed to the callback?"""
    net = _Linear()
    calls = []
    history = ref.training.train(net, _batches(), _batches(), nn.CrossEntropyLoss(reduction="none"), 3,
                                 torch.optim.SGD(net.parameters(), lr=0.1), callback=calls.append, progress=False)
    assert [r["epoch"] for r in history] == [1, 2, 3] and calls == history
    assert set(history[0]) == {"epoch", "train_loss", "train_acc", "val_acc"}


@pytest.mark.slow  # trains on the sample
def test_reference_learns_the_sample(ref, data_root):
    """Does softmax regression from scratch reach >= 0.74 held-out accuracy in 10 epochs (batch 256, lr 0.1)?"""
    torch.manual_seed(0)
    train_iter, test_iter = load_data_fashion_mnist(256, root=data_root, download=False)
    net = ref.model.SoftmaxRegression(784, 10)
    history = ref.training.train(net, train_iter, test_iter, ref.losses.cross_entropy, 10,
                                 lambda bs: ref.optim.sgd(net.params, 0.1, bs), progress=False)
    assert history[-1]["val_acc"] >= 0.74, history[-1]
    assert history[-1]["train_loss"] < history[0]["train_loss"]
