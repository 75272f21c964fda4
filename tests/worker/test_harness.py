"""Do the harness's nets make each graded behaviour show in values? Skipping train mode, eval mode or
no-grad must change the weights or scores (or raise), and every zeroing idiom that trains identically
must give the same weights. Oracles: BatchNorm's formula by hand, torch's own grad modes, and the
reference's train_epoch run on the same net."""

import pytest
import torch

from course_tools.worker import harness


def _batches(gen, sizes=(5, 5, 3)):
    return [(torch.randn(n, 4, generator=gen), torch.randint(0, 3, (n,), generator=gen)) for n in sizes]


@pytest.mark.parametrize("make", [lambda: harness.NoGradIdentity(), harness.evaluation_function], ids=["module", "function"])
def test_tripwire_refuses_gradient_tracking_and_accepts_both_ways_off(make):
    """Does it raise GRAD_ON with gradients tracked, and return X under no_grad and inference_mode alike?"""
    scores, X = make(), torch.randn(3, 2)
    with pytest.raises(RuntimeError, match="gradient tracking on"):
        scores(X)
    for off in (torch.no_grad, torch.inference_mode):
        with off():
            assert torch.equal(scores(X), X)


def test_evaluation_net_is_right_only_in_eval_mode():
    """In eval mode it normalises by the given running statistics, in train mode by the batch's own."""
    mean, var, X = torch.tensor([1.0, -2.0, 0.5]), torch.tensor([4.0, 1.0, 0.25]), torch.randn(6, 3)
    net = harness.evaluation_net(mean, var)
    assert net.training  # handed over in train mode: evaluate_accuracy must switch it
    with torch.no_grad():
        torch.testing.assert_close(net.eval()(X), (X - mean) / torch.sqrt(var + 1e-5))
        by_batch = (X - X.mean(0)) / torch.sqrt(X.var(0, unbiased=False) + 1e-5)
        torch.testing.assert_close(net.train()(X), by_batch)


def _zero_grad_variants(ref):
    """train_epoch written four ways that train identically: the reference, net.zero_grad(), p.grad = None, zeroing after step."""
    def zeroing(how):
        def train_epoch(net, train_iter, loss, updater):
            net.train()
            for X, y in train_iter:
                if how == "net":
                    net.zero_grad()
                losses = loss(net(X), y)
                if how == "none":
                    for p in net.parameters():
                        p.grad = None
                losses.mean().backward()
                updater.step()
                if how == "after":
                    updater.zero_grad(set_to_none=False)
            return 0.0, 0.0
        return train_epoch
    return [ref.training.train_epoch, zeroing("net"), zeroing("none"), zeroing("after")]


@pytest.mark.parametrize("batchnorm", [False, True])
def test_every_identical_zeroing_gives_the_reference_weights(ref, batchnorm):
    gen = torch.Generator().manual_seed(0)
    weight, bias, batches = torch.randn(3, 4, generator=gen) * 0.1, torch.zeros(3), _batches(gen)
    runs = [harness.run_train_epoch(fn, weight, bias, batches, "optimizer", 0.5, batchnorm=batchnorm)
            for fn in _zero_grad_variants(ref)]
    for run in runs[1:]:
        torch.testing.assert_close(run["weight"], runs[0]["weight"])
        torch.testing.assert_close(run["bias"], runs[0]["bias"])


def test_skipping_zero_grad_or_train_mode_changes_the_weights(ref):
    """Do accumulated gradients, or a BatchNorm net left in eval mode, end at other weights than the reference's?"""
    gen = torch.Generator().manual_seed(1)
    weight, bias, batches = torch.randn(3, 4, generator=gen) * 0.1, torch.zeros(3), _batches(gen)
    expected = harness.run_train_epoch(ref.training.train_epoch, weight, bias, batches, "optimizer", 0.5, batchnorm=True)

    def no_zero_grad(net, train_iter, loss, updater):
        net.train()
        for X, y in train_iter:
            loss(net(X), y).mean().backward()
            updater.step()

    def no_train_mode(net, *args):
        net.train = lambda mode=True: net
        return ref.training.train_epoch(net, *args)

    for wrong in (no_zero_grad, no_train_mode):
        got = harness.run_train_epoch(wrong, weight, bias, batches, "optimizer", 0.5, batchnorm=True)
        assert not torch.allclose(got["weight"], expected["weight"], atol=1e-4), wrong.__name__


def test_callback_sees_the_weights_of_its_epoch(ref):
    """Does each callback call carry the weights after its own epoch, the last one the final weights?"""
    gen = torch.Generator().manual_seed(2)
    weight, bias, batches = torch.randn(3, 4, generator=gen) * 0.1, torch.zeros(3), _batches(gen)
    run = harness.run_train(ref.training.train, weight, bias, batches, batches, 3, 0.3)
    snapshots = [w for _, w in run["calls"]]
    assert len(snapshots) == 3 and not torch.equal(snapshots[0], snapshots[1])
    torch.testing.assert_close(snapshots[-1], run["weight"])
