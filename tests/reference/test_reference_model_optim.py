"""Do the reference SoftmaxRegression, sgd and concise builders meet the contract?"""

import torch
from torch import nn


def test_softmax_regression_parameters(ref):
    """Are W ~ N(0, sigma^2) of shape (inputs, outputs) and b zeros, both leaves requiring grad?"""
    torch.manual_seed(0)
    net = ref.model.SoftmaxRegression(784, 10, sigma=0.01)
    W, b = net.params
    assert W is net.W and b is net.b
    assert W.shape == (784, 10) and b.shape == (10,)
    assert W.is_leaf and W.requires_grad and b.is_leaf and b.requires_grad
    assert abs(W.mean().item()) < 1e-3 and abs(W.std().item() - 0.01) < 1e-3  # 7840 draws
    assert torch.equal(b, torch.zeros(10))


def test_softmax_regression_forward(ref):
    """Does the forward pass flatten X and match softmax(X W + b) from PyTorch?"""
    net = ref.model.SoftmaxRegression(12, 3, sigma=1.0)
    X = torch.randn(5, 1, 3, 4)
    expected = torch.softmax(X.reshape(5, 12) @ net.W + net.b, dim=1)  # oracle: torch.softmax
    torch.testing.assert_close(net(X), expected)


def test_sgd_update_and_zeroed_grad(ref):
    """Is p <- p - lr * grad / batch_size applied in place, grads zeroed, params still leaves?"""
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    p.grad = torch.tensor([4.0, -8.0])
    ref.optim.sgd([p], lr=0.5, batch_size=4)
    torch.testing.assert_close(p.detach(), torch.tensor([0.5, 3.0]))  # by hand
    assert torch.equal(p.grad, torch.zeros(2)) and p.is_leaf and p.requires_grad


def test_sgd_matches_torch_optim(ref):
    """Does one sgd step on summed grads equal torch.optim.SGD on the mean loss?"""
    torch.manual_seed(1)
    X, y = torch.randn(8, 3), torch.randn(8)
    w1 = torch.randn(3, requires_grad=True)
    w2 = w1.detach().clone().requires_grad_()
    ((X @ w1 - y) ** 2).sum().backward()
    ref.optim.sgd([w1], lr=0.1, batch_size=8)
    opt = torch.optim.SGD([w2], lr=0.1)
    ((X @ w2 - y) ** 2).mean().backward()
    opt.step()
    torch.testing.assert_close(w1.detach(), w2.detach())  # oracle: torch.optim.SGD


def test_concise_builders(ref):
    """Are the concise model, loss and optimiser what the contract names?"""
    torch.manual_seed(0)
    net = ref.concise.build_model()
    assert [type(m) for m in net] == [nn.Flatten, nn.Linear]
    assert net[1].weight.shape == (10, 784) and torch.equal(net[1].bias, torch.zeros(10))
    assert abs(net[1].weight.std().item() - 0.01) < 1e-3
    loss = ref.concise.build_loss()
    assert isinstance(loss, nn.CrossEntropyLoss) and loss.reduction == "none"
    opt = ref.concise.build_optimizer(net, lr=0.3)
    assert isinstance(opt, torch.optim.SGD) and opt.param_groups[0]["lr"] == 0.3
    assert {id(p) for p in opt.param_groups[0]["params"]} == {id(p) for p in net.parameters()}
