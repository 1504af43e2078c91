"""The fragments render/pages.py writes in Python for speed give the bytes the Jinja
templates gave: `escape` (every `{{ value }}`), an entity page's records and a timeline
year's events, in every language, with hostile values."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup
from markupsafe import escape as markup_escape

from casework.render.pages import entity_cards, timeline_events
from casework.render.templates import environment, escape

LANGUAGES = ("en", "es", "fr", "ar")
HOSTILE = "\"><script>alert(1)</script> & <b>bold</b> \u201cquoted\u201d 'single' %(x)s {{ y }}"

# The templates' own loops as they were before render/pages.py wrote them.
ENTITY_ROWS = """{% from "_macros.html" import party_words %}
{% for r in records %}
<li class="card"><h2><a href="{{ base }}incident/{{ r.slug }}/">{{ r.title }}</a></h2>
<p class="meta"><time datetime="{{ r.date }}">{{ r.date|display_date }}</time> · {{ _("as %(sides)s", sides=r.sides|map("word", party_words)|join(_(" and "))) }} <span class="badge sev-{{ r.severity }}">{{ labels.severity.get(r.severity, r.severity) }}</span></p></li>
{% endfor %}
"""  # noqa: E501
TIMELINE_EVENTS = """{% for day, title, summary, slug, record_title in events %}
<li><time datetime="{{ day }}">{{ day|display_date }}</time>
<div><strong>{{ title }}</strong>{% if summary %} — {{ summary }}{% endif %}
<br><a class="small" href="{{ base }}incident/{{ slug }}/">{{ record_title }}</a></div></li>
{% endfor %}
"""


@pytest.mark.parametrize(
    "value", ["", "plain", HOSTILE, Markup("<em>kept</em>"), 3, 2.5, None, ["<a>"]]
)
def test_escape_is_markupsafes(value: Any) -> None:
    made = escape(value)
    assert type(made) is Markup
    assert str(made) == str(markup_escape(value))


def _records() -> list[dict[str, Any]]:
    return [
        {"slug": "a-b", "title": HOSTILE, "date": "2021-03-04", "severity": "high",
         "sides": ["victim", "perpetrator"]},
        {"slug": "c", "title": "Plain", "date": "1999-12-31", "severity": HOSTILE,
         "sides": ["perpetrator"]},
        {"slug": "d&e", "title": "Odd side", "date": "2020-02-29", "severity": "low",
         "sides": [HOSTILE]},
    ]  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_entity_cards_as_the_template_wrote_them(language: str) -> None:
    labels = {"severity": {"high": "High & <grave>", "low": "Low"}}
    template = environment(language).from_string(ENTITY_ROWS)
    for base in ("/", '/t&"x/'):
        wanted = template.render(records=_records(), base=base, labels=labels)
        assert entity_cards(_records(), base, labels, language) == wanted.lstrip("\n")
    assert entity_cards([], "/", labels, language) == ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_timeline_events_as_the_template_wrote_them(language: str) -> None:
    events = [
        ["2021-01-02", HOSTILE, HOSTILE, "s&t", HOSTILE],
        ["2021-05-06", "Begins", "", "plain", "Plain title"],
    ]
    template = environment(language).from_string(TIMELINE_EVENTS)
    for base in ("/", "/<sub>/"):
        assert timeline_events(events, base, language) == template.render(events=events, base=base)


FACET_OPTIONS = """{% for value, label, n in values %}<option value="{{ value }}"{% if chosen.get(name) == value %} selected{% endif %}>{{ label or labels[name].get(value, value) }} ({{ n }})</option>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("chosen", [{}, {"category": "b&c"}, {"category": HOSTILE}])
def test_facet_options_as_the_template_wrote_them(chosen: dict[str, str]) -> None:
    values = [["a", "", 3], ["b&c", "", 10], [HOSTILE, "", 1], ["d", HOSTILE, 2], ["e", "E", 0]]
    labels = {"category": {"a": "Alpha <1>", HOSTILE: "Hostile's"}}
    wanted = environment("en").from_string(FACET_OPTIONS)
    made = environment("en").from_string(
        "{{ values|facet_options(chosen.get(name), labels.get(name, {})) }}"
    )
    context = {"values": values, "chosen": chosen, "name": "category", "labels": labels}
    assert made.render(context) == wanted.render(context)


def test_a_card_follows_its_labels_and_not_its_briefs_order() -> None:
    """card_html keeps the last labels' key: the same labels dict changed since, or other
    labels, give their own words; a brief whose keys come in another order, the same card."""
    from casework.render.pages import card_html

    brief = {"slug": "a&b", "title": HOSTILE, "date": "2021-03-04", "severity": "high",
             "category": "c", "posture": "p", "ongoing": True, "summary": HOSTILE}  # fmt: skip
    labels = {"severity": {"high": "High"}, "category": {"c": "Cat"}, "posture": {"p": "Pos"}}
    first = card_html(brief, "/", labels)
    assert ">High</span>" in first
    assert card_html(dict(reversed(brief.items())), "/", labels) == first
    labels["severity"]["high"] = "Grave & <high>"  # the same dict, other words
    changed = card_html(brief, "/", labels)
    assert ">Grave &amp; &lt;high&gt;</span>" in changed
    other = {**labels, "category": {"c": "Other"}}
    assert ">Other</span>" in card_html(brief, "/", other)
    assert card_html(brief, "/", labels) == changed
