"""Pictures for the lessons: image grids, training curves, class templates, confusion and reliability plots.

Every helper also writes what its figure shows (`describe`), from the data it drew, for readers who
cannot see it: in a notebook the PNG carries that text as its standard `Description` and the output's
`alt` metadata, and the lesson site uses it as the image's alt text.
"""

from __future__ import annotations

import weakref

import matplotlib.pyplot as plt
import torch

_descriptions: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def describe(fig_or_ax, text: str, *, append: bool = False) -> str:
    """Set (or extend) the text alternative of a figure; return the figure's whole description."""
    fig = getattr(fig_or_ax, "figure", fig_or_ax)
    fig = getattr(fig, "get_figure", lambda: fig)() or fig  # a subfigure's root figure
    _descriptions[fig] = (_descriptions.get(fig, "") + " " + text).strip() if append else text
    # Installed here, after the figure exists: the inline backend resets the PNG formatter when it activates.
    _install_png_with_description()
    return _descriptions[fig]


def description(fig_or_ax) -> str:
    """The text alternative set with `describe`, or ""."""
    fig = getattr(fig_or_ax, "figure", fig_or_ax)
    return _descriptions.get(fig, "")


def _install_png_with_description() -> None:
    """In IPython, show figures as PNGs that carry their description (PNG `Description`, output `alt`)."""
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import print_figure
        from matplotlib.figure import Figure
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    png = shell.display_formatter.formatters["image/png"]

    def png_with_description(fig):
        text = _descriptions.get(fig, "")
        if not text:
            return print_figure(fig, fmt="png", base64=True)
        data = print_figure(fig, fmt="png", base64=True, metadata={"Description": text})
        return data, {"alt": text}

    png.for_type(Figure, png_with_description)


def _names(titles, limit: int = 20) -> str:
    titles = [str(t) for t in titles]
    shown = ", ".join(titles[:limit])
    return shown + (f", and {len(titles) - limit} more" if len(titles) > limit else "")


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
    n = len(imgs)
    text = f"{n} grayscale images in {num_rows} row{'s' * (num_rows > 1)} of {num_cols}"
    describe(axes[0], text + (f", titled: {_names(titles[:n])}." if titles is not None else "."))
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
    names = {"train_loss": "training loss", "train_acc": "training accuracy", "val_acc": "validation accuracy",
             "test_acc": "test accuracy"}
    parts = [f"{name} from {history[0][key]:.3f} to {history[-1][key]:.3f}" for key, name in names.items() if key in history[0]]
    describe(ax, f"Training curves over {len(history)} epochs: " + "; ".join(parts) + ".")
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
    describe(axes[0], f"The weights of {len(templates)} classes drawn as images, red positive and blue negative "
                      f"on one scale from {-limit:.2g} to {limit:.2g}" + (f", one per class: {_names(titles)}." if titles else "."))
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
    total, right = int(C.sum()), int(C.trace())
    off = [(int(C[i, j]), labels[i], labels[j]) for i in range(q) for j in range(q) if i != j and C[i, j]]
    worst = ", ".join(f"{t} taken for {p} {n} times" for n, t, p in sorted(off, reverse=True)[:3])
    describe(ax, f"Confusion matrix of {q} classes (rows: true class, columns: predicted) over {total} examples, "
                 f"{right} on the diagonal ({right / max(total, 1):.1%} correct)" + (f"; most common mistakes: {worst}." if worst else "."))
    return ax


def plot_reliability(bins, ax=None, label=None):
    """Draw a reliability diagram from `diagnostics.reliability_bins`: accuracy against confidence per bin."""
    first = ax is None
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
    gap = (bins["confidence"][used] - bins["accuracy"][used]).abs() * bins["count"][used] / bins["count"][used].sum()
    series = f"{label or 'the model'}: {int(used.sum())} bins, mean gap between confidence and accuracy {float(gap.sum()):.3f}"
    if first:
        describe(ax, "Reliability diagram, accuracy against confidence per bin beside the diagonal of perfect "
                     f"calibration. {series}.")
    else:
        describe(ax, f"{series}.", append=True)
    return ax

