"""A dependency-free bar chart in SVG (no chart library, nothing fetched)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 220, 40, 40, 16


def bar_chart(bars: list[tuple[str, int]], title: str) -> SafeString:
    """Vertical bars with their counts on top and their labels below (escaped)."""
    top = max((n for _, n in bars), default=0) or 1
    inner_w, inner_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = inner_w / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 8}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#555"/>',
    ]
    for i, (name, n) in enumerate(bars):
        h = inner_h * n / top
        x = LEFT + i * step + step * 0.15
        y = HEIGHT - BOTTOM - h
        w = step * 0.7
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#4a7ab5">'
            f"<title>{escape(name)}: {n}</title></rect>"
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{y - 3:.1f}" font-size="10" '
            f'text-anchor="middle">{n}</text>'
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{HEIGHT - BOTTOM + 13}" font-size="9" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
