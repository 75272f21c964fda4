"""One training epoch of the reference through the fast loader vs the seed's DataLoader + ToTensor.

Both run in the same process on the same data; prints seconds per epoch, the ratio and the
held-out accuracy of each. Usage: python benchmarks/loader_epoch.py [--root DIR] [--epochs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
import torchvision
from torchvision import transforms

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from course_lib.data import load_data_fashion_mnist, resolve_data_root  # noqa: E402
from course_tools.reference import load_reference  # noqa: E402

ref = load_reference(ROOT / "solutions" / "course_lib")


def seed_loaders(root, batch_size, workers=0):
    """The seed's pipeline: per-image PIL -> ToTensor in a DataLoader (the seed itself used 4 workers)."""
    def make(train: bool):
        return torchvision.datasets.FashionMNIST(str(root), train=train, transform=transforms.ToTensor())

    return (torch.utils.data.DataLoader(make(True), batch_size, shuffle=True, num_workers=workers),
            torch.utils.data.DataLoader(make(False), batch_size, shuffle=False, num_workers=workers))


def timed_epochs(train_iter, test_iter, epochs, lr=0.1):
    """Train the reference for `epochs`; return (seconds per epoch list, final held-out accuracy)."""
    torch.manual_seed(0)
    net = ref.model.SoftmaxRegression(784, 10)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        ref.training.train_epoch(net, train_iter, ref.losses.cross_entropy, lambda bs: ref.optim.sgd(net.params, lr, bs))
        times.append(time.perf_counter() - start)
    return times, ref.metrics.evaluate_accuracy(net, test_iter)


def timed_pass(data_iter, repeats=3):
    """Median seconds to read one pass of `data_iter` with no training."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _batch in data_iter:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=None, help="data root (default: FASHION_MNIST_ROOT or the user cache)")
    parser.add_argument("--epochs", type=int, default=3, help="epochs timed per pipeline (median reported)")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--seed-workers", type=int, default=0,
                        help="num_workers of the seed's DataLoader (the seed used 4; 0 is its fastest setting on 2 cores)")
    args = parser.parse_args(argv)
    root = resolve_data_root(args.root)
    fast_times, fast_acc = timed_epochs(*load_data_fashion_mnist(args.batch_size, root=root, download=False), args.epochs)
    seed_times, seed_acc = timed_epochs(*seed_loaders(root, args.batch_size, args.seed_workers), args.epochs)
    fast_train = load_data_fashion_mnist(args.batch_size, root=root, download=False)[0]
    n, fast_read, seed_read = fast_train.num_examples, timed_pass(fast_train), timed_pass(seed_loaders(root, args.batch_size, args.seed_workers)[0])
    fast, seed = statistics.median(fast_times), statistics.median(seed_times)
    print(f"data: {root} ({n} training images), batch {args.batch_size}, median of {args.epochs} epochs")
    print(f"seed DataLoader + ToTensor ({args.seed_workers} workers): {seed:.3f} s/epoch, held-out accuracy {seed_acc:.3f}")
    print(f"fast tensor loader:        {fast:.3f} s/epoch, held-out accuracy {fast_acc:.3f}")
    print(f"speed-up: {seed / fast:.1f}x per training epoch; {seed_read / fast_read:.0f}x for reading alone "
          f"({seed_read:.3f} s vs {fast_read:.4f} s per pass)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
