"""The scoreboard as a picture: a horizontal bar chart, rendered to PNG bytes.

Built on `matplotlib.figure.Figure` with the Agg canvas rather than pyplot, so no global state
or GUI backend is involved and rendering is safe in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Bars coloured by band, the way steering offices grade units (good / fair / needs attention).
_GOOD, _FAIR, _POOR = "#2e7d32", "#f9a825", "#c62828"
_MAX_BARS = 40


@dataclass(frozen=True, slots=True)
class Bar:
    """One unit on the chart."""

    label: str
    score: float


def _colour(score: float) -> str:
    if score >= 80:
        return _GOOD
    if score >= 50:
        return _FAIR
    return _POOR


def scoreboard_png(bars: Sequence[Bar], *, title: str, xlabel: str) -> bytes:
    """Draw the ranking, best at the top, and return it as PNG bytes.

    Args:
        bars: Units in rank order (best first); only the first 40 are drawn.
        title: Chart title (already localized).
        xlabel: Axis label (already localized).

    Returns:
        The PNG file's bytes.
    """
    shown = list(bars[:_MAX_BARS])
    height = 1.4 + 0.38 * max(len(shown), 1)
    fig = Figure(figsize=(8, height), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [_short(b.label) for b in reversed(shown)]
    values = [b.score for b in reversed(shown)]
    # Numeric positions: two communes may share a name, and category labels would merge them.
    positions = list(range(len(values)))
    ax.barh(positions, values, color=[_colour(v) for v in values])
    ax.set_yticks(positions, labels)
    for y, value in enumerate(values):
        ax.text(min(value + 1, 101), y, f"{value:.1f}", va="center", fontsize=8)
    ax.set_xlim(0, 108)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
