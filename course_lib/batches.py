"""Minibatches sliced from one in-memory tensor: the fast path behind `load_data_fashion_mnist`."""

from __future__ import annotations

import torch


class TensorBatches:
    """An iterable of `(X, y)` minibatches over uint8 images held as one tensor.

    `images` is uint8 of shape (N, C, H, W), `labels` int64 of shape (N,). Each batch is
    `(images[idx].float() / 255, labels[idx])`, the values `transforms.ToTensor()` gives, with no
    per-image PIL work. With `shuffle=True` every pass draws a new order from torch's global RNG,
    in the same way as `DataLoader(shuffle=True)`, so one seed gives the same batches as the seed's
    DataLoader. Works on any platform: there are no worker processes.
    """

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, batch_size: int, shuffle: bool = False):
        if images.dtype != torch.uint8 or images.ndim != 4:
            raise TypeError(f"images must be uint8 of shape (N, C, H, W), got {images.dtype} {tuple(images.shape)}")
        if labels.shape != (images.shape[0],):
            raise ValueError(f"labels must have shape ({images.shape[0]},), got {tuple(labels.shape)}")
        self.images, self.labels = images, labels
        self.batch_size, self.shuffle = batch_size, shuffle

    @property
    def num_examples(self) -> int:
        """The number of examples in one pass."""
        return self.labels.shape[0]

    def __len__(self) -> int:
        """The number of batches in one pass (the last one may be smaller)."""
        return -(-self.num_examples // self.batch_size)

    def _order(self) -> torch.Tensor | None:
        # Every DataLoader pass draws a base seed, shuffled or not; RandomSampler then draws the
        # permutation's seed. Drawing the same keeps the global RNG, hence every epoch, in step.
        torch.empty((), dtype=torch.int64).random_()
        if not self.shuffle:
            return None
        seed = int(torch.empty((), dtype=torch.int64).random_().item())
        return torch.randperm(self.num_examples, generator=torch.Generator().manual_seed(seed))

    def __iter__(self):
        images, labels, order = self.images, self.labels, self._order()
        if order is not None:
            images, labels = images[order], labels[order]
        # one conversion per pass, then every batch is a view: no per-batch kernels to schedule
        images = images.to(torch.float32).div_(255)
        for start in range(0, self.num_examples, self.batch_size):
            end = start + self.batch_size
            yield images[start:end], labels[start:end]
