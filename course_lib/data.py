"""Fashion-MNIST: finding it, reading it through torchvision, and serving minibatches fast.

The data root is, in order: the `root` argument, the FASHION_MNIST_ROOT environment variable, or a
per-user cache folder (`$XDG_CACHE_HOME/softmax-course`, by default `~/.cache/softmax-course`).
Below it the files sit where torchvision puts them: `<root>/FashionMNIST/raw/`.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
import torchvision

from .batches import TensorBatches
from .idx import (  # the data's location and checks, without torch; re-exported for the lessons and students
    FASHION_MNIST_CLASSES,
    RAW_FILES,
    ROOT_ENV_VAR,
    FashionMNISTNotFoundError,
    check_split,
    default_data_root,
    missing_files,
    not_found_error,
    raw_folder,
    resolve_data_root,
)


def _ensure_present(root: Path, download: bool | None) -> None:
    """Download the files when missing and allowed (download=None means: if missing)."""
    missing = missing_files(root)
    if not missing:
        return
    if download is False:
        raise not_found_error(root, missing, "the files are missing and download=False.")
    try:
        torchvision.datasets.FashionMNIST(str(root), train=True, download=True)
        torchvision.datasets.FashionMNIST(str(root), train=False, download=True)
    except Exception as error:  # torchvision raises RuntimeError or URLError when offline
        raise not_found_error(root, missing_files(root) or missing, f"the download failed ({error}).") from error


def load_fashion_mnist_tensors(
    train: bool, *, root: str | os.PathLike | None = None, download: bool | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return one split as `(images, labels)`: uint8 of shape (N, 1, 28, 28) and int64 of shape (N,).

    The files are read by `torchvision.datasets.FashionMNIST`, after they are checked (idx.check_split),
    so a truncated or corrupt file raises `IDXFormatError` (or ValueError) instead of loading partly.
    """
    root = resolve_data_root(root)
    _ensure_present(root, download)
    check_split(root, train)
    dataset = torchvision.datasets.FashionMNIST(str(root), train=train, download=False)
    return dataset.data.unsqueeze(1), dataset.targets.to(torch.int64)


def _resize(images: torch.Tensor, resize: int | tuple[int, int] | None) -> torch.Tensor:
    """Resize uint8 images once, as transforms.Resize does per PIL image (bilinear, antialiased)."""
    if resize is None:
        return images
    from torchvision.transforms.v2 import functional as F

    return F.resize(images, [resize] if isinstance(resize, int) else list(resize), antialias=True)


def load_data_fashion_mnist(
    batch_size: int,
    resize: int | tuple[int, int] | None = None,
    *,
    root: str | os.PathLike | None = None,
    download: bool | None = None,
) -> tuple[TensorBatches, TensorBatches]:
    """Return `(train_iter, test_iter)` over Fashion-MNIST.

    Each yields `(X, y)`: X float32 of shape (B, 1, 28, 28) (or (B, 1, *resize)) with values in
    [0, 1], y int64 of shape (B,); the last batch may be smaller. The training iterator reshuffles
    every epoch from torch's global RNG; the test iterator keeps the file order.
    `download=None` downloads only when the files are missing; `False` never does.

    >>> train_iter, test_iter = load_data_fashion_mnist(256)  # doctest: +SKIP
    >>> X, y = next(iter(train_iter)); X.shape, y.shape        # doctest: +SKIP
    (torch.Size([256, 1, 28, 28]), torch.Size([256]))
    """
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    splits = []
    for train in (True, False):
        images, labels = load_fashion_mnist_tensors(train, root=root, download=download)
        splits.append(TensorBatches(_resize(images, resize), labels, batch_size, shuffle=train))
    return splits[0], splits[1]


def get_fashion_mnist_labels(labels) -> list[str]:
    """Return the text label of each class index in `labels` (a tensor or an iterable of ints)."""
    return [FASHION_MNIST_CLASSES[int(i)] for i in labels]
