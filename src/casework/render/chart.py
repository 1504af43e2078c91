"""The home page's chart, drawn at build time as inline SVG (pygal): no script, no CDN.

A drawing is kept (`DRAWN`, by the hash of what it is drawn from): a static build keeps those
it drew in its state and gives them back to the next build (publish/build.py), so that an edit
that leaves the chart's figures as they were neither draws it nor loads pygal (~0.2 s of CPU
between them, most of it the import).
"""

from __future__ import annotations

import re
from hashlib import blake2b
from typing import Any

import orjson

from casework.render import i18n

# Changes when a drawing of the same figures would change: kept drawings of another form are
# not used.
CHART_FORM = "pygal-1"
# chart key (`chart_key`) → SVG markup, of the drawings made or given (publish/build.py),
# the newest KEEP of them; USED: the keys asked for since the set was last emptied.
DRAWN: dict[str, str] = {}
USED: set[str] = set()
KEEP = 8

# Two drawings of the same figures: the wide one (36 months) for screens from 40rem, and a
# narrow one (the last 12 months, drawn at a phone's width so that its labels keep their
# size) below that. CSS shows one; the table under the chart holds every figure either way.
WIDE = {"width": 960, "height": 320, "legend_at_bottom_columns": 3}
NARROW = {"width": 360, "height": 340, "legend_at_bottom_columns": 1}
NARROW_MONTHS = 12

STYLE = dict(
    background="transparent",
    plot_background="transparent",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#eceef1",
    guide_stroke_dasharray="0",
    major_guide_stroke_dasharray="0",
    opacity="1",
    opacity_hover="1",
    font_family="Inter, system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    colors=("#0a55a0", "#a4281e", "#8a5300", "#2f6f3e", "#6b3fa0", "#5b6470", "#b3446c"),
)


def chart_key(chart: dict[str, Any], labels: dict[str, str], narrow: bool, language: str) -> str:
    """The hash of what a drawing is made of (its figures, labels, width and language)."""
    data = orjson.dumps([CHART_FORM, chart, labels, narrow, language], option=orjson.OPT_SORT_KEYS)
    return blake2b(data, digest_size=16).hexdigest()


def monthly_chart_svg(
    chart: dict[str, Any], labels: dict[str, str], narrow: bool = False, language: str = "en"
) -> str:
    """A stacked bar chart of records per month (x) by category (series), as SVG markup; with
    `narrow`, the last 12 months at a phone's width. Drawn once per figures (`DRAWN`)."""
    if not chart.get("months"):
        return ""
    key = chart_key(chart, labels, narrow, language)
    if len(USED) > 4 * KEEP:  # a server asks all day; a build empties it first
        USED.clear()
    USED.add(key)
    found = DRAWN.get(key)
    if found is None:
        found = _draw(chart, labels, narrow, language)
        # A server drawing new figures all day keeps the newest few (its threads may be
        # dropping the same one).
        while len(DRAWN) >= KEEP:
            try:
                DRAWN.pop(next(iter(DRAWN)), None)
            except (StopIteration, RuntimeError):
                break
        DRAWN[key] = found
    return found


def _draw(chart: dict[str, Any], labels: dict[str, str], narrow: bool, language: str) -> str:
    import pygal
    from pygal.style import Style

    size = NARROW if narrow else WIDE
    if narrow:
        chart = {
            "months": chart["months"][-NARROW_MONTHS:],
            "series": {k: v[-NARROW_MONTHS:] for k, v in chart["series"].items()},
        }
        # Only the categories these months show, so that the legend stays short.
        chart["series"] = {k: v for k, v in chart["series"].items() if any(v)} or chart["series"]
    bars = pygal.StackedBar(
        style=Style(**STYLE),
        **size,
        js=[],  # no script: the figures are also in a table beside the chart
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        truncate_legend=40,
        print_values=False,
        explicit_size=True,
        truncate_label=-1,
    )
    months = chart["months"]
    bars.x_labels = months
    if narrow:  # a label every quarter: a phone has room for four
        bars.x_labels_major = months[-1::-3][::-1]
    else:
        bars.x_labels_major = [m for m in months if m.endswith("-01")] or months[:1]
    bars.x_value_formatter = str
    # Whole records on the y axis: pygal would mark tenths when counts are small.
    peak = max((sum(column) for column in zip(*chart["series"].values(), strict=True)), default=1)
    step = max(1, -(-peak // 5))
    bars.y_labels = list(range(0, peak + step, step))
    bars.range = (0, peak + step - 1 if peak % step else peak)
    for key, values in chart["series"].items():
        bars.add(labels.get(key, key), values)
    svg = bars.render(is_unicode=True)
    # pygal embeds its config as a <script> even with js=[], and a random id: drop the
    # first and fix the second, so that the page is script-free and the same input gives
    # the same bytes (incremental builds compare them).
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)
    # And its "Generated with pygal … on <today>" comment: a build's bytes would otherwise
    # change at midnight, rewriting the home page for nothing.
    svg = re.sub(r"<!--Generated with pygal.*?-->", "", svg, flags=re.S)
    chart_id = re.search(r'id="chart-([0-9a-f-]+)"', svg)
    if chart_id:
        svg = svg.replace(chart_id.group(1), "casework-narrow" if narrow else "casework")
    if narrow:  # its legend's ids too, beside the wide drawing's on the same page
        svg = svg.replace('id="activate-serie-', 'id="narrow-activate-serie-')
    what = i18n.gettext(language, "Records per month by category") + (
        i18n.gettext(language, ", the last 12 months") if narrow else ""
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{what}" ', 1)
