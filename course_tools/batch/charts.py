"""The report's two charts as PNG: a score histogram and each check's failure rate (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

from .stats import CheckFailures


def score_histogram(scores: list[float], path: Path, total: float, title: str = "Scores") -> None:
    """Histogram of scores out of `total` (the checks' points), in twenty bins from 0 to `total`."""
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(scores, bins=[total * i / 20 for i in range(21)], color="#3b6ea5", edgecolor="white")
    ax.set(xlabel=f"score (out of {total:g})", ylabel="submissions", title=f"{title} (n = {len(scores)})", xlim=(0, total))
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def failure_rate_chart(rows: list[CheckFailures], path: Path) -> None:
    """Horizontal bars: the share of submissions failing each check, most failed at the top."""
    height = max(2.5, 0.28 * len(rows) + 1)
    fig, ax = plt.subplots(figsize=(9, height))
    labels = [r.title if len(r.title) <= 60 else r.title[:57] + "..." for r in rows]
    ax.barh(range(len(rows)), [100 * r.rate for r in rows], color="#c0504d")
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set(xlabel="submissions failing the check (%)", xlim=(0, 100), title="Failure rate per check")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
