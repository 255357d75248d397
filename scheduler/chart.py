"""The scoreboard as a picture: a horizontal bar chart, rendered to PNG bytes.

Built on `matplotlib.figure.Figure` with the Agg canvas rather than pyplot, so no global state
or GUI backend is involved and rendering is safe in a worker thread. Matplotlib is imported
only when a chart is drawn: it costs about a second of start-up that no other command needs.

A unit with nothing measured has no bar (a zero would read as a failing score). A ranking of
hundreds of communes is unreadable as one picture: beyond 30 units the chart shows the top 15
and the bottom 15 and says how many are left out in between.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.i18n import ngettext

# Bars coloured by band, the way steering offices grade units (good / fair / needs attention).
_GOOD, _FAIR, _POOR = "#2e7d32", "#f9a825", "#c62828"
#: Units shown at each end of a long ranking.
EACH_END = 15


@dataclass(frozen=True, slots=True)
class Bar:
    """One unit on the chart; `score` None means nothing was measured (no bar)."""

    label: str
    score: float | None


def _colour(score: float) -> str:
    if score >= 80:
        return _GOOD
    if score >= 50:
        return _FAIR
    return _POOR


def chart_rows(bars: Sequence[Bar], each_end: int = EACH_END) -> tuple[list[Bar], int]:
    """The bars to draw, best first, and how many measured units are left out in between.

    Units with nothing measured are dropped; of a longer ranking only the first and last
    `each_end` are kept.
    """
    measured = [b for b in bars if b.score is not None]
    if len(measured) <= 2 * each_end:
        return measured, 0
    return measured[:each_end] + measured[-each_end:], len(measured) - 2 * each_end


def scoreboard_png(bars: Sequence[Bar], *, title: str, xlabel: str) -> bytes:
    """Draw the ranking, best at the top, and return it as PNG bytes.

    Args:
        bars: Units in rank order (best first); see `chart_rows` for which are drawn.
        title: Chart title (already localized).
        xlabel: Axis label (already localized).

    Returns:
        The PNG file's bytes.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown, left_out = chart_rows(bars)
    height = 1.4 + 0.38 * max(len(shown), 1) + (0.4 if left_out else 0)
    fig = Figure(figsize=(8, height), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [_short(b.label) for b in reversed(shown)]
    values = [b.score or 0.0 for b in reversed(shown)]
    # Numeric positions: two communes may share a name, and category labels would merge them.
    # A long ranking gets a gap between its bottom and its top part.
    positions = [float(i) for i in range(len(values))]
    if left_out:
        positions = [p + (1.0 if i >= EACH_END else 0.0) for i, p in enumerate(positions)]
    ax.barh(positions, values, color=[_colour(v) for v in values])
    ax.set_yticks(positions, labels)
    for y, value in zip(positions, values, strict=True):
        ax.text(min(value + 1, 101), y, f"{value:.1f}", va="center", fontsize=8)
    if left_out:
        note = ngettext(
            "… {n} more unit between the top {k} and the bottom {k} …",
            "… {n} more units between the top {k} and the bottom {k} …",
            left_out,
        ).format(n=left_out, k=EACH_END)
        ax.text(50, EACH_END, note, ha="center", va="center", fontsize=8, style="italic")
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
