"""Charts drawn on the server as inline SVG: no script, no library, a few hundred bytes each.

Colours are presentation attributes (the CSP allows no inline styles); every chart is an
`img` with a text alternative, and each mark carries a `<title>` with its value.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

#: Status colours, each with at least 4.5:1 contrast against white.
COLORS = {
    "done_on_time": "#1b7f3b",
    "done_late": "#a3540a",
    "in_progress": "#1f5fbf",
    "overdue": "#b3261e",
    "recurring": "#5f6368",
}


def stacked_bar(parts: Sequence[tuple[str, int, str]], label: str) -> Markup:
    """One horizontal bar split by status: (name, value, colour) per part."""
    total = sum(v for _n, v, _c in parts)
    width = 300
    out = [
        f'<svg class="bar" viewBox="0 0 {width} 18" role="img" aria-label="{escape(label)}"'
        ' preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">'
    ]
    if not total:
        out.append(f'<rect width="{width}" height="18" fill="#e3e3e3"/>')
    x = 0.0
    for name, value, color in parts:
        if not value or not total:
            continue
        w = width * value / total
        out.append(
            f'<rect x="{x:.1f}" width="{w:.1f}" height="18" fill="{color}">'
            f"<title>{escape(name)}: {value}</title></rect>"
        )
        x += w
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    label: str,
    color: str,
    max_value: float | None = None,
    fmt: str = "{:.0f}",
    empty: str = "",
) -> Markup:
    """Vertical bars with their value above, one per label (a month); None draws no bar.

    `empty` is written across the chart when no value at all is known.
    """
    n = max(len(labels), 1)
    width, height, top, bottom = 320, 150, 16, 20
    plot = height - top - bottom
    peak = max_value or max((v for v in values if v is not None), default=0) or 1
    slot = width / n
    bar_w = slot * 0.6
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="0" x2="{width}" y1="{top + plot}" y2="{top + plot}" stroke="#767676"/>',
    ]
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        cx = slot * i + slot / 2
        if value is not None:
            h = plot * min(value, peak) / peak
            y = top + plot - h
            text = fmt.format(value)
            out.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{escape(name)}: {text}</title></rect>'
                f'<text x="{cx:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" '
                f'fill="#1f1f1f">{escape(text)}</text>'
            )
        out.append(
            f'<text x="{cx:.1f}" y="{height - 5}" text-anchor="middle" font-size="11" '
            f'fill="#1f1f1f">{escape(name)}</text>'
        )
    if empty and all(v is None for v in values):
        out.append(
            f'<text x="{width / 2}" y="{top + plot / 2}" text-anchor="middle" font-size="13" '
            f'fill="#555">{escape(empty)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))
