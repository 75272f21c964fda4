"""Does the reference cross-entropy meet the contract?"""

import pytest
import torch
import torch.nn.functional as F


def test_cross_entropy_picks_true_class(ref):
    """Is the loss -log of the true class's probability, per example, shape (n,)?"""
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    out = ref.losses.cross_entropy(y_hat, torch.tensor([0, 2]))
    torch.testing.assert_close(out, -torch.log(torch.tensor([0.1, 0.5])))  # by hand
    assert out.shape == (2,)


@pytest.mark.parametrize("label_dtype", [torch.int64, torch.int32])
def test_cross_entropy_matches_nll(ref, label_dtype):
    """Does cross_entropy equal F.nll_loss on log-probabilities, for int64 and int32 labels?"""
    probs = torch.softmax(torch.randn(50, 10, dtype=torch.float64), dim=1)
    y = torch.randint(0, 10, (50,))
    expected = F.nll_loss(probs.log(), y, reduction="none")  # oracle: PyTorch
    torch.testing.assert_close(ref.losses.cross_entropy(probs, y.to(label_dtype)), expected)


def test_cross_entropy_from_logits_matches_pytorch(ref):
    """Does cross_entropy_from_logits equal F.cross_entropy(reduction='none'), gradient included?"""
    logits = torch.randn(20, 7, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 7, (20,))
    out = ref.losses.cross_entropy_from_logits(logits, y)
    expected = F.cross_entropy(logits, y, reduction="none")  # oracle: PyTorch
    torch.testing.assert_close(out, expected)
    (g,) = torch.autograd.grad(out.sum(), logits)
    (g_expected,) = torch.autograd.grad(expected.sum(), logits)
    torch.testing.assert_close(g, g_expected)
    # gradient of the mean loss is (softmax - one_hot) / n
    torch.testing.assert_close(g, torch.softmax(logits, 1).detach() - F.one_hot(y, 7).double())


def test_cross_entropy_from_logits_is_stable(ref):
    """Are logits of magnitude 1e4 in float32 finite and exact?"""
    logits = torch.tensor([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0]], dtype=torch.float32)
    y = torch.tensor([1, 1])
    out = ref.losses.cross_entropy_from_logits(logits, y)
    torch.testing.assert_close(out, torch.tensor([1e4, 0.0]))  # by hand: max - true logit
    assert out.isfinite().all()


def test_cross_entropy_gradient(ref):
    """Is d/dy_hat of the loss -1/y_hat at the true class and 0 elsewhere?"""
    y_hat = torch.tensor([[0.25, 0.75], [0.5, 0.5]], requires_grad=True)
    ref.losses.cross_entropy(y_hat, torch.tensor([1, 0])).sum().backward()
    torch.testing.assert_close(y_hat.grad, torch.tensor([[0.0, -1 / 0.75], [-2.0, 0.0]]))  # by hand
