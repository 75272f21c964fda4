"""Pictures for the lessons: image grids, training curves, class templates, confusion and reliability plots."""

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
    """Plot train loss and every accuracy present (train, validation, test) per epoch from a history."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3))
    epochs = [r["epoch"] for r in history]
    for key, style in (("train_loss", "-"), ("train_acc", "--"), ("val_acc", ":"), ("test_acc", "-.")):
        if key in history[0]:
            ax.plot(epochs, [r[key] for r in history], style, label=key.replace("_", " ").replace("val", "validation"))
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def show_weight_images(templates, titles=None, scale: float = 1.5):
    """Draw class templates (q, H, W) in one row each of 5, on one diverging colour scale centred on 0.

    Red is a positive weight (ink there raises the class's score), blue a negative one. Returns the axes.
    """
    templates = templates.detach().cpu() if torch.is_tensor(templates) else torch.as_tensor(templates)
    limit = float(templates.abs().max()) or 1.0  # one symmetric scale: colours compare across classes
    num_cols = min(5, len(templates))
    num_rows = -(-len(templates) // num_cols)
    axes = show_images(templates, num_rows, num_cols, titles=titles, scale=scale)
    for ax in axes[: len(templates)]:
        ax.images[0].set_cmap("RdBu_r")
        ax.images[0].set_clim(-limit, limit)
    return axes


def plot_confusion_matrix(C, labels, ax=None):
    """Draw a confusion matrix (rows: true class, columns: predicted) with its counts written in."""
    C = (C.detach().cpu() if torch.is_tensor(C) else torch.as_tensor(C)).numpy()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5.4))
    ax.imshow(C, cmap="Blues")
    q = len(labels)
    ax.set_xticks(range(q), labels, rotation=60, ha="right")
    ax.set_yticks(range(q), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    high = float(C.max()) / 2
    for i in range(q):
        for j in range(q):
            if C[i, j]:
                ax.text(j, i, str(int(C[i, j])), ha="center", va="center", fontsize=7,
                        color="white" if C[i, j] > high else "black")
    return ax


def plot_reliability(bins, ax=None, label=None):
    """Draw a reliability diagram from `diagnostics.reliability_bins`: accuracy against confidence per bin."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
        ax.plot([0, 1], [0, 1], color="gray", lw=1, ls="--", label="perfectly calibrated")
    used = bins["count"] > 0
    ax.plot(bins["confidence"][used].numpy(), bins["accuracy"][used].numpy(), "o-", label=label)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (mean max probability in the bin)")
    ax.set_ylabel("accuracy in the bin")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    return ax
