"""Citations in the editor's record form: each key point and timeline row posts the sources it
cites and its sentence, so citations follow their claims when rows are reordered, edited or
removed; a citation of a source the record does not list is an error beside the row. Unit
tests on the form code, then the real page through the app, on both engines."""

from __future__ import annotations

from html.parser import HTMLParser

from casework.model import Record, Status
from casework.model.provenance import citations_of
from casework.web.forms import citation_choices, form_values, record_values
from tests.web.editing import Team
from tests.web.test_forms import errors_of, form_of, replaced, save

POST = "https://example.org/harbour"
RADIO = "https://radio.example.net/pier"
ORDER = "https://port.example.gov/order-17.pdf"


def base_record() -> Record:
    from tests.store.factories import make_record

    return make_record(
        "pier-closure",
        keyPoints=["No warning was given", "Boats were left unattended", "Nets were cut"],
        sources=[
            {"url": POST, "title": "Pier shut", "publisher": "Coast Post"},
            {"url": RADIO, "title": "Crews speak", "publisher": "Radio Harbour"},
        ],
        documents=[{"title": "Closure order", "url": ORDER, "kind": "order"}],
        timeline=[
            {"date": "2021-03-14", "title": "Closure", "summary": "The pier shut."},
            {"date": "2021-03-20", "title": "Reopened", "summary": "Boats went out."},
        ],
        provenance=[
            {"claim": "keyPoints/0", "sources": [POST], "sentence": "No one was told, he said."},
            {"claim": "keyPoints/2", "sources": [RADIO, ORDER]},
            {"claim": "timeline/1", "sources": [ORDER], "sentence": "Reopened on the 20th."},
        ],
    )


def renumbered(fields: list[tuple[str, str]], key: str, order: list[int]) -> list[tuple[str, str]]:
    """`fields` with `key`'s rows posted in `order` (row order[k] becomes row k)."""
    out: list[tuple[str, str]] = []
    for name, value in fields:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == key:
            parts[1] = str(order.index(int(parts[1])))
            name = ".".join(parts)
        out.append((name, value))
    return out


def test_an_untouched_form_saves_the_same_citations() -> None:
    base = base_record()
    assert save(form_of(base), base).provenance == base.provenance


def test_reordered_rows_take_their_citations_along() -> None:
    base = base_record()
    fields = renumbered(form_of(base), "keyPoints", [2, 0, 1])  # the third point first
    fields = renumbered(fields, "timeline", [1, 0])
    saved = save(fields, base)
    assert saved.key_points == [
        "Nets were cut",
        "No warning was given",
        "Boats were left unattended",
    ]
    cited = citations_of(saved)
    assert cited["keyPoints/0"].sources == [RADIO, ORDER]
    assert cited["keyPoints/1"].sentence == "No one was told, he said."
    assert "keyPoints/2" not in cited
    assert cited["timeline/0"].sentence == "Reopened on the 20th."
    assert [c.claim for c in saved.provenance] == ["keyPoints/0", "keyPoints/1", "timeline/0"]


def test_an_edited_claim_keeps_its_citation_and_a_removed_one_takes_it_away() -> None:
    base = base_record()
    fields = [(n, v) for n, v in form_of(base) if not n.startswith("keyPoints.0.")]
    fields = replaced(fields, **{"keyPoints.2.text": "Nets were cut at night"})
    saved = save(fields, base)
    assert saved.key_points == ["Boats were left unattended", "Nets were cut at night"]
    assert [(c.claim, c.sources) for c in saved.provenance] == [
        ("keyPoints/1", [RADIO, ORDER]),
        ("timeline/1", [ORDER]),
    ]


def test_ticking_unticking_and_the_sentence() -> None:
    base = base_record()
    fields = [(n, v) for n, v in form_of(base) if n != "keyPoints.2.cites" or v != RADIO]
    fields += [("keyPoints.1.cites", POST), ("keyPoints.1.cites", POST)]  # twice: once
    fields = replaced(fields, **{"keyPoints.1.sentence": "  Boats drifted.\r\nOne sank.  "})
    fields = [(n, v) for n, v in fields if n != "timeline.1.cites"]
    fields = replaced(fields, **{"timeline.1.sentence": ""})
    cited = citations_of(save(fields, base))
    assert cited["keyPoints/1"].sources == [POST]
    assert cited["keyPoints/1"].sentence == "Boats drifted.\nOne sank."
    assert cited["keyPoints/2"].sources == [ORDER]
    assert "timeline/1" not in cited  # nothing ticked, no sentence: no citation


def test_a_sentence_without_a_source_and_an_unlisted_url_are_errors_beside_the_row() -> None:
    base = base_record()
    fields = [(n, v) for n, v in form_of(base) if n != "keyPoints.0.cites"]
    fields += [("timeline.0.cites", "https://elsewhere.example/x")]
    errors = errors_of(fields, base)
    assert set(errors) == {"keyPoints.0.cites", "timeline.0.cites"}
    assert "tick the source this sentence comes from" in errors["keyPoints.0.cites"]
    assert "'https://elsewhere.example/x', which is not one of" in errors["timeline.0.cites"]


def test_a_deleted_source_takes_its_citations_and_a_corrected_url_keeps_them() -> None:
    base = base_record()
    fields = [(n, v) for n, v in form_of(base) if not n.startswith("sources.1.")]
    fields = replaced(fields, **{"documents.0.url": ORDER + "?v=2"})
    saved = save(fields, base)
    assert [(c.claim, c.sources) for c in saved.provenance] == [
        ("keyPoints/0", [POST]),
        ("keyPoints/2", [ORDER + "?v=2"]),
        ("timeline/1", [ORDER + "?v=2"]),
    ]


def test_a_post_without_citation_inputs_keeps_the_citations_of_the_claims_it_still_makes() -> None:
    base = base_record()
    fields = [
        (n, v)
        for n, v in form_of(base)
        if not n.startswith("keyPoints.") and not n.endswith((".cites", ".sentence"))
    ]
    # The one-per-line textarea of older clients: a point dropped, the others reordered.
    fields.append(("keyPoints", "Nets were cut\nNo warning was given"))
    values = form_values(fields)
    assert "provenance" not in values
    saved = save(fields, base)
    assert [(c.claim, c.sources) for c in saved.provenance] == [
        ("keyPoints/0", [RADIO, ORDER]),
        ("keyPoints/1", [POST]),
        ("timeline/1", [ORDER]),
    ]


def test_choices_are_numbered_as_the_page_numbers_sources() -> None:
    assert citation_choices(record_values(base_record())) == [
        (1, POST, "Pier shut"),
        (2, RADIO, "Crews speak"),
        (3, ORDER, "Closure order"),
    ]


# --- the real page ----------------------------------------------------------------------------


class _Form(HTMLParser):
    """The (name, value) pairs a browser submits for the page's record form: inputs (checked
    checkboxes only), textareas, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.labels: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._text = ""
        self._label: str | None = None
        self._label_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button"):
                self.fields.append((a["name"], a.get("value", "on" if "checked" in a else "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "label":
            self._label, self._label_text = a.get("for"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # A newline right after <textarea> is not part of its value.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "label" and self._label:
            self.labels[self._label] = " ".join(self._label_text.split())
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data
        if self._label is not None:
            self._label_text += data


def page_form(html: str) -> _Form:
    start = html.index('id="record-form"')
    parser = _Form()
    parser.feed(html[start:])
    return parser


def test_the_editor_page_posts_each_rows_citations(team: Team) -> None:
    base = base_record()
    team.store.create(base, author="seed", message="seed", status=Status.draft)
    eve = team.client("eve")
    page = eve.get("/edit/pier-closure/").text
    # Each row's checkboxes are labelled with the source's number and title; ticked as saved.
    assert "<legend>Supported by</legend>" in page
    assert f'name="keyPoints.0.cites" value="{POST}" checked> [1] Pier shut' in page
    assert f'name="keyPoints.0.cites" value="{RADIO}"> [2] Crews speak' in page
    assert f'name="timeline.1.cites" value="{ORDER}" checked> [3] Closure order' in page
    form = page_form(page)
    assert form.labels["f-keyPoints.0.text"] == "Key point"
    assert form.labels["f-timeline.1.sentence"].startswith("Supporting sentence")
    fields = [(n, v) for n, v in form.fields if n not in ("csrf", "base_revision")]
    # Move the last key point first, tick a source on the one now last.
    fields = renumbered(fields, "keyPoints", [2, 0, 1, 3])  # row 3 is the blank row
    fields.append(("keyPoints.2.cites", RADIO))
    token, revision = eve.form("/edit/pier-closure/")
    answer = eve.post(
        "/edit/pier-closure/",
        [*fields, ("csrf", token), ("base_revision", str(revision)), ("message", "cite")],
    )
    assert answer.status_code == 303, answer.text
    saved = team.store.get("pier-closure")
    assert saved.revision == 2
    assert saved.record.key_points == [
        "Nets were cut",
        "No warning was given",
        "Boats were left unattended",
    ]
    cited = citations_of(saved.record)
    assert cited["keyPoints/0"].sources == [RADIO, ORDER]
    assert cited["keyPoints/1"].sentence == "No one was told, he said."
    assert cited["keyPoints/2"].sources == [RADIO]
    assert cited["timeline/1"].sentence == "Reopened on the 20th."


def test_an_unlisted_citation_shows_and_its_error_comes_back_beside_the_row(team: Team) -> None:
    base = base_record()
    unlisted = base.model_copy(
        update={
            "provenance": [
                *base.provenance[:2],
                base.provenance[2].model_copy(update={"sources": ["https://gone.example/p"]}),
            ]
        }
    )
    team.store.create(unlisted, author="seed", message="seed", status=Status.draft)
    eve = team.client("eve")
    page = eve.get("/edit/pier-closure/").text
    assert 'value="https://gone.example/p" checked> https://gone.example/p' in page
    fields = [(n, v) for n, v in page_form(page).fields if n not in ("csrf", "base_revision")]
    token, revision = eve.form("/edit/pier-closure/")
    answer = eve.post(
        "/edit/pier-closure/", [*fields, ("csrf", token), ("base_revision", str(revision))]
    )
    assert answer.status_code == 422
    assert 'id="err-timeline-1-cites"' in answer.text
    assert 'aria-describedby="err-timeline-1-cites"' in answer.text
    assert team.store.get("pier-closure").revision == 1
    # Unticked, it saves without it.
    fields = [(n, v) for n, v in fields if v != "https://gone.example/p"]
    fields = replaced(fields, **{"timeline.1.sentence": ""})
    answer = eve.post(
        "/edit/pier-closure/", [*fields, ("csrf", token), ("base_revision", str(revision))]
    )
    assert answer.status_code == 303, answer.text
    assert "timeline/1" not in citations_of(team.store.get("pier-closure").record)


def test_a_sentence_too_long_is_an_error_beside_its_row() -> None:
    base = base_record()
    fields = replaced(form_of(base), **{"timeline.1.sentence": "word " * 500})
    errors = errors_of(fields, base)
    assert list(errors) == ["timeline.1.cites"]
    assert errors["timeline.1.cites"].startswith("sentence: ")
    assert "2000" in errors["timeline.1.cites"]
