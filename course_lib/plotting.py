"""Pictures for the lessons: a grid of images with titles, and training curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch


def show_images(imgs, num_rows: int, num_cols: int, titles=None, scale: float = 1.5):
    """Draw `imgs` (a tensor of shape (n, H, W) or (n, 1, H, W), or a list of such images) in a grid.

    Returns the flat array of matplotlib axes, so that callers can add to them.
    """
    figsize = (num_cols * scale, num_rows * scale)
    _, axes = plt.subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        if torch.is_tensor(img):
            img = (img.squeeze(0) if img.ndim == 3 else img).detach().cpu().numpy()
        ax.imshow(img, cmap="gray")
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles is not None and i < len(titles):
            ax.set_title(titles[i])
    for ax in axes[len(imgs):]:
        ax.set_visible(False)
    return axes


def plot_history(history, ax=None):
    """Plot train loss, train accuracy and test accuracy per epoch from `train`'s history."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3))
    epochs = [r["epoch"] for r in history]
    for key, style in (("train_loss", "-"), ("train_acc", "--"), ("test_acc", "-.")):
        ax.plot(epochs, [r[key] for r in history], style, label=key.replace("_", " "))
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax
