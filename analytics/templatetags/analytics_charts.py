"""Charts as inline SVG drawn on the server: no JavaScript, no CDN, readable by a screen reader
(`role="img"` named by its `<title>`). Each mark carries its own `<title>` (the browser shows
it on hover) and its number in `data-value`; the page always shows the same numbers in a table.

The values come already aggregated from `analytics.reports`; these tags only draw them.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 24
BAR_ROW, LABEL_WIDTH, VALUE_WIDTH = 24, 200, 130
SPARK_WIDTH, SPARK_HEIGHT = 120, 28
MARKED = "#cd4444"  # Wagtail's critical red: the steepest drop


def _number(value) -> float:
    # Coordinates only: amounts stay exact in the tables and exports.
    return float(value or 0)


def _svg(chart_id: str, title: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{}-title" '
        'id="{}" class="analytics-chart" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" style="max-width: {}px">'
        '<title id="{}-title">{}</title>{}</svg>',
        chart_id,
        chart_id,
        width,
        height,
        width,
        chart_id,
        title,
        body,
    )


def _axes(top_value) -> SafeString:
    baseline = HEIGHT - BOTTOM
    return format_html(
        '<g class="axes" stroke="currentColor" stroke-opacity="0.3">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}"/><line x1="{}" y1="{}" x2="{}" y2="{}"/></g>'
        '<g class="axis-labels" font-size="11" fill="currentColor" text-anchor="end">'
        '<text x="{}" y="{}">0</text><text x="{}" y="{}">{}</text></g>',
        LEFT, TOP, LEFT, baseline, LEFT, baseline, WIDTH - RIGHT, baseline,
        LEFT - 4, baseline, LEFT - 4, TOP + 8, top_value,
    )  # fmt: skip


def _x_labels(labels) -> SafeString:
    if not labels:
        return SafeString("")
    return format_html(
        '<g class="x-labels" font-size="11" fill="currentColor">'
        '<text x="{}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text></g>',
        LEFT, HEIGHT - 6, labels[0], WIDTH - RIGHT, HEIGHT - 6, labels[-1],
    )  # fmt: skip


@register.simple_tag
def series_chart(points, title: str, chart_id: str, kind: str = "line") -> SafeString:
    """A line or bar chart of `points`, a list of (label, value) in order."""
    labels = [str(label) for label, _ in points]
    values = [value for _, value in points]
    top_value = max([*values, 0]) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(points), 1)

    def y(value):
        return round(TOP + plot_height * (1 - _number(value) / _number(top_value)), 1)

    marks = []
    if kind == "bar":
        bar = max(step * 0.8, 1)
        for index, (label, value) in enumerate(zip(labels, values, strict=True)):
            x = round(LEFT + step * index + (step - bar) / 2, 1)
            marks.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" data-label="{}" data-value="{}">'
                    "<title>{}: {}</title></rect>",
                    x,
                    y(value),
                    round(bar, 1),
                    round(HEIGHT - BOTTOM - y(value), 1),
                    label,
                    value,
                    label,
                    value,
                )  # fmt: skip
            )
        body = format_html('<g class="bars" fill="currentColor">{}</g>', SafeString("".join(marks)))
    else:
        centres = [round(LEFT + step * (index + 0.5), 1) for index in range(len(points))]
        line = " ".join(f"{x},{y(value)}" for x, value in zip(centres, values, strict=True))
        for x, label, value in zip(centres, labels, values, strict=True):
            marks.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="2.5" data-label="{}" data-value="{}">'
                    "<title>{}: {}</title></circle>",
                    x,
                    y(value),
                    label,
                    value,
                    label,
                    value,
                )  # fmt: skip
            )
        body = format_html(
            '<polyline fill="none" stroke="currentColor" stroke-width="2" points="{}"/>'
            '<g class="points" fill="currentColor">{}</g>',
            line,
            SafeString("".join(marks)),
        )
    return _svg(
        chart_id,
        title,
        WIDTH,
        HEIGHT,
        format_html("{}{}{}", _axes(top_value), body, _x_labels(labels)),
    )


@register.simple_tag
def bars_chart(rows, title: str, chart_id: str, marked=None) -> SafeString:
    """Horizontal bars, one per (label, value) row; the row whose label is `marked` is drawn in
    red and says so (the lesson funnel's steepest drop)."""
    top_value = max([_number(value) for _, value in rows] + [0]) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    marks = []
    for index, (label, value) in enumerate(rows):
        y = index * BAR_ROW
        is_marked = marked is not None and label == marked
        width = round(bar_space * _number(value) / top_value, 1)
        marks.append(
            format_html(
                '<g class="bar{}" data-label="{}" data-value="{}" fill="{}" font-size="12">'
                '<text x="0" y="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}"><title>{}: {}{}</title></rect>'
                '<text x="{}" y="{}">{}{}</text></g>',
                " marked" if is_marked else "",
                label,
                value,
                MARKED if is_marked else "currentColor",
                y + 16,
                _truncated(label),
                LABEL_WIDTH,
                y + 4,
                width,
                BAR_ROW - 8,
                label,
                value,
                " (steepest drop)" if is_marked else "",
                LABEL_WIDTH + width + 4,
                y + 16,
                value,
                " ▼ steepest drop" if is_marked else "",
            )  # fmt: skip
        )
    height = max(len(rows), 1) * BAR_ROW
    return _svg(chart_id, title, WIDTH, height, SafeString("".join(marks)))


def _truncated(label: str, length: int = 30) -> str:
    label = str(label)
    return label if len(label) <= length else f"{label[: length - 1]}…"


@register.simple_tag
def sparkline(values, title: str, chart_id: str) -> SafeString:
    """A small line of `values` in order, with no axes: the shape of a trend beside a number."""
    values = list(values)
    top_value = max([_number(value) for value in values] + [0]) or 1
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    line = " ".join(
        f"{round(step * index, 1)},"
        f"{round(SPARK_HEIGHT - 2 - (SPARK_HEIGHT - 4) * _number(value) / top_value, 1)}"
        for index, value in enumerate(values)
    )
    body = format_html(
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}" '
        'data-values="{}"/>',
        line,
        " ".join(str(value) for value in values),
    )
    return _svg(chart_id, title, SPARK_WIDTH, SPARK_HEIGHT, body)
