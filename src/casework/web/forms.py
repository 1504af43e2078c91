"""The editor's HTML form ⇄ a Record: flat fields named by wire path in, a validated Record
out (or every problem, keyed by the field it belongs beside), and a record's values back out
to fill the form.

The form posts `title`, `tags` (one item a line), `sources.3.url`, …; `form_values` turns that
into the nested, wire-shaped dict the form describes (what the user typed, to re-render the form
after an error), and `record_from_form` validates it with the same rules as an import. What a
form does not show — the update log, lastUpdated, unknown keys kept from import and their
positions — comes from the record being edited, so a save through the form never loses it.

Citations (`provenance`) travel with their claims: each key point row (`keyPoints.3.text`) and
timeline row posts the URLs it cites (`keyPoints.3.cites`, one checkbox per source or
document) and its sentence (`keyPoints.3.sentence`), so reordering, editing or removing rows
moves or removes their citations. A post without any of those inputs (the one-per-line
`keyPoints` textarea of older clients) keeps the edited record's citations of the claims it
still makes, matched by text (key points) and by date and title (timeline entries).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from casework.formats.errors import one_line
from casework.model import DERIVED_KEYS, RECORD_KEYS, Record, Site, slugify
from casework.model.fields import check_url
from casework.model.places import LOCATION_KEYS
from casework.model.provenance import moved
from casework.model.wording import N_, Invalid, Nn_, Wording, prefixed, said
from casework.render import i18n
from casework.render.html import html_to_markdown, render_markdown
from casework.web.limits import FORM_FIELDS, MAX_BODY_CHARS

# Keys a form can never set: identity and history are the server's, derived keys are computed,
# `$`-keys are casework's internals (`$bodyHtml` set from a form would bypass the sanitizer).
SERVER_OWNED: frozenset[str] = frozenset(
    {
        "slug",
        "lastUpdated",
        "updateLog",
        "status",
        "revision",
        "body_html",
        "bodyHtml",
        "$body",
        "$bodyHtml",
        "$anchors",
        *DERIVED_KEYS,
    }
)

TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "date",
    "summary",
    "category",
    "severity",
    "posture",
    "victims",
    "perpetrators",
    "legalBasis",
    "warCrimeClassification",
    "description",
    "body",
)
CHECKBOX_FIELDS: tuple[str, ...] = ("ongoing", "iccRelevance")
LINE_LIST_FIELDS: tuple[str, ...] = ("tags", "keyPoints", "relatedIncidents")
_PARTY_COLUMNS = ("name", "kind", "role", "count", "entity")
# Repeatable rows: wire key → the inputs of one row, in docs/format.md order.
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "structuredVictims": _PARTY_COLUMNS,
    "structuredPerpetrators": _PARTY_COLUMNS,
    "internationalLaw": ("statute", "article", "provision"),
    "legalAnalyses": ("title", "url", "organization"),
    "sources": ("url", "title", "publisher"),
    "documents": ("title", "url", "kind", "date", "sha256"),
    "timeline": ("date", "title", "summary"),
    # Casework's own key (docs/format.md): where it happened.
    "locations": LOCATION_KEYS,
}
# Inputs that may be left blank: blank means none (the key is omitted from the part).
OPTIONAL_ROW_FIELDS: dict[str, frozenset[str]] = {
    "structuredVictims": frozenset({"role", "count", "entity"}),
    "structuredPerpetrators": frozenset({"role", "count", "entity"}),
    "internationalLaw": frozenset({"article"}),
    "legalAnalyses": frozenset(),
    "sources": frozenset(),
    "documents": frozenset({"date", "sha256"}),
    "timeline": frozenset(),
    "locations": frozenset({"name", "adminArea", "latitude", "longitude", "publishedPrecision"}),
}
# A select always sends a value, so a party row whose kind alone is set is still blank (and
# a location row whose precisions alone are set).
_DEFAULTED_ROW_FIELDS: frozenset[str] = frozenset({"kind", "precision", "publishedPrecision"})
# Row inputs that hold decimal degrees.
_DEGREES = {"latitude": 90, "longitude": 180}
# Hidden per-row input: the index of the part of the edited record this row shows, so that
# the part's unknown keys follow it when rows are added, deleted or reordered. Optional.
ROW_ORIGIN = "_base"
# Machine values: surrounding spaces are never meant (and would fail validation).
_STRIPPED = frozenset(
    {
        "date",
        "category",
        "severity",
        "posture",
        "warCrimeClassification",
        "url",
        "kind",
        "count",
        "entity",
        "sha256",
        "country",
        "latitude",
        "longitude",
        "precision",
        "publishedPrecision",
    }
)
# What identifies a part when matching rows to the edited record's parts without a hint.
_IDENTITY: dict[str, tuple[str, ...]] = {
    "structuredVictims": ("name",),
    "structuredPerpetrators": ("name",),
    "internationalLaw": ("statute", "article"),
    "legalAnalyses": ("url",),
    "sources": ("url",),
    "documents": ("url",),
    "timeline": ("date", "title"),
    "locations": ("name", "country"),
}
# The row inputs that carry a claim's citation (not part fields): the cited URLs (repeated)
# and the supporting sentence. Key points, a one-per-line list elsewhere, post rows here.
CITE_COLUMNS: tuple[str, ...] = ("cites", "sentence")
KEY_POINT_TEXT = "text"
CITED_LISTS: tuple[str, ...] = ("keyPoints", "timeline")
_FALSE_WORDS = frozenset({"", "0", "false", "off", "no"})
_ROW_NAME = re.compile(r"^([A-Za-z]+)\.(\d{1,6})\.([A-Za-z_][A-Za-z0-9_]*)$")

FORM_KEYS: tuple[str, ...] = tuple(
    key
    for key in (*RECORD_KEYS, "locations", "body")
    if key in TEXT_FIELDS or key in CHECKBOX_FIELDS or key in LINE_LIST_FIELDS or key in ROW_FIELDS
)


class FormErrors(Exception):
    """A form that does not make a valid record: wire path (`sources.0.url`, `title`; "" for
    the record as a whole) → a one-line message to show beside that field, in `language`
    (the site's); `wordings` the same messages untranslated, `types` the pydantic error types
    met (each worded by ERROR_WORDS, or by the validator's own Invalid)."""

    def __init__(
        self,
        wordings: dict[str, Wording],
        language: str = "en",
        types: frozenset[str] = frozenset(),
    ) -> None:
        self.wordings = wordings
        self.types = types
        catalog = i18n.translations(language)
        self.errors = {path: one_line(w.translated(catalog)) for path, w in wordings.items()}
        shown = "; ".join(f"{path or 'record'}: {message}" for path, message in self.errors.items())
        super().__init__(one_line(f"{len(self.errors)} problem(s): {shown}"))


# Pydantic's own error types, as the form words them (pydantic's English never reaches the
# editor: a type missing here is worded GENERIC_ERROR, in the site's language). (singular,
# plural) pairs take the constraint's number; the placeholders are filled by `_error_words`.
ERROR_WORDS: dict[str, str | tuple[str, str]] = {
    "missing": N_("required"),
    "string_type": N_("expected text"),
    "bool_type": N_("expected true or false"),
    "bool_parsing": N_("expected true or false"),
    "int_type": N_("expected a whole number"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "float_type": N_("expected a number"),
    "float_parsing": N_("expected a number"),
    "finite_number": N_("expected a number"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected an object"),
    "model_type": N_("expected an object"),
    "model_attributes_type": N_("expected an object"),
    "string_too_short": Nn_("at least %(num)s character", "at least %(num)s characters"),
    "string_too_long": Nn_("at most %(num)s character", "at most %(num)s characters"),
    "too_short": Nn_("at least %(num)s item", "at least %(num)s items"),
    "too_long": Nn_("at most %(num)s item", "at most %(num)s items"),
    "string_pattern_mismatch": N_("does not match the pattern %(pattern)s"),
    "enum": N_("expected one of %(expected)s"),
    "literal_error": N_("expected one of %(expected)s"),
    "greater_than_equal": N_("at least %(limit)s"),
    "less_than_equal": N_("at most %(limit)s"),
    "greater_than": N_("more than %(limit)s"),
    "less_than": N_("less than %(limit)s"),
}
GENERIC_ERROR = N_("not a valid value")
_LIMIT_OF = {
    "string_too_short": "min_length",
    "string_too_long": "max_length",
    "too_short": "min_length",
    "too_long": "max_length",
    "greater_than_equal": "ge",
    "less_than_equal": "le",
    "greater_than": "gt",
    "less_than": "lt",
}


def error_words(error: ErrorDetails) -> Wording:
    """One pydantic error as the editor words it: a casework validator's own sentence (it
    raised Invalid), else its type's (ERROR_WORDS), else GENERIC_ERROR — never pydantic's
    English."""
    kind = error["type"]
    context = error.get("ctx") or {}
    raised = context.get("error")
    if isinstance(raised, Invalid):
        return raised.wording
    words = ERROR_WORDS.get(kind)
    if words is None:
        return Wording(GENERIC_ERROR)
    params: dict[str, Any] = {}
    if kind in _LIMIT_OF:
        params["limit"] = params["num"] = context.get(_LIMIT_OF[kind], "")
    if "pattern" in context:
        params["pattern"] = str(context["pattern"])
    if "expected" in context:
        # pydantic writes "'a', 'b' or 'c'": the choices as the form's select words them.
        choices = re.findall(r"'([^']*)'", str(context["expected"]))
        params["expected"] = Wording(
            ", ".join(f"%({i})s" for i in range(len(choices))),
            {str(i): Wording(OPTION_WORDS.get(c, c)) for i, c in enumerate(choices)},
        )
    if isinstance(words, tuple):
        return Wording(words[0], params, plural=words[1])
    return Wording(words, params)


def _dotted(loc: Iterable[int | str]) -> str:
    return ".".join(str(part) for part in loc)


# The choices of the form's selects as it words them (a party's kind, a place's precision:
# _edit_macros.html's party_words and precision_words).
OPTION_WORDS: dict[str, str] = {
    "person": N_("person"),
    "group": N_("group"),
    "organization": N_("organization"),
    "state": N_("state"),
    "population": N_("population"),
    "exact": N_("exact location"),
    "town": N_("town or city"),
    "region": N_("region"),
    "country": N_("country"),
}

# The names a message gives the parts of a record it speaks of, as the form labels them.
FIELD_WORDS: dict[str, str] = {
    "latitude": N_("latitude"),
    "longitude": N_("longitude"),
    "claim": N_("claim"),
    "sources": N_("sources"),
    "sentence": N_("sentence"),
}


def _text(value: str) -> str:
    # Browsers send textarea line breaks as CRLF; casework keeps LF.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _pairs(form: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    if isinstance(form, Mapping):
        multi = getattr(form, "multi_items", None)
        items = multi() if callable(multi) else list(form.items())
    else:
        items = list(form)
    # Uploaded files and other non-text values have no place in a record form.
    return [(str(name), _text(value)) for name, value in items if isinstance(value, str)]


def form_values(form: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The nested, wire-shaped dict a posted form describes: every form key (FORM_KEYS)
    present — text as typed (line breaks as LF), checkboxes as booleans (present and not
    "", "0", "false", "off", "no" = true), one-per-line lists without blank lines, rows as
    dicts of strings sorted by their number and renumbered from 0, blank rows dropped.
    Server-owned and unknown names are ignored. Accepts a dict, a starlette FormData (every
    value of a repeated name is seen) or (name, value) pairs.

    When the post carries citation inputs (module docstring), `provenance` is there too:
    claim path after renumbering (`keyPoints/0`) → {"sources": [URL, ...], "sentence": str},
    for every key point and timeline row kept."""
    values: dict[str, Any] = {key: "" for key in TEXT_FIELDS}
    values.update({key: False for key in CHECKBOX_FIELDS})
    values.update({key: [] for key in LINE_LIST_FIELDS})
    rows: dict[str, dict[int, dict[str, str]]] = {key: {} for key in ROW_FIELDS}
    point_rows: dict[int, str] = {}
    cites: dict[tuple[str, int], list[str]] = {}
    sentences: dict[tuple[str, int], str] = {}
    cited_form = False
    for name, value in _pairs(form):
        if name in SERVER_OWNED or name.startswith("$"):
            continue
        if name in TEXT_FIELDS:
            values[name] = value
        elif name in CHECKBOX_FIELDS:
            # Any true value wins: a hidden "false" input before the checkbox is a common idiom.
            values[name] = values[name] or value.strip().lower() not in _FALSE_WORDS
        elif name in LINE_LIST_FIELDS:
            values[name] = [line.strip() for line in value.split("\n") if line.strip()]
        elif match := _ROW_NAME.match(name):
            key, number, column = match.group(1), int(match.group(2)), match.group(3)
            if key in CITED_LISTS and column in CITE_COLUMNS:
                cited_form = True
                if column == "cites":
                    if value.strip():
                        cites.setdefault((key, number), []).append(value.strip())
                else:
                    sentences[(key, number)] = value
            elif key == "keyPoints" and column == KEY_POINT_TEXT:
                cited_form = True
                point_rows[number] = value
            elif key in ROW_FIELDS and (column in ROW_FIELDS[key] or column == ROW_ORIGIN):
                rows[key].setdefault(number, {})[column] = value
    provenance: dict[str, dict[str, Any]] = {}

    def cite(key: str, number: int, index: int) -> None:
        urls = list(dict.fromkeys(cites.get((key, number), [])))  # a URL ticked twice: once
        sentence = sentences.get((key, number), "")
        if urls or sentence.strip():
            provenance[f"{key}/{index}"] = {"sources": urls, "sentence": sentence}

    for key, numbered in rows.items():
        kept: list[dict[str, str]] = []
        for number in sorted(numbered):
            row = numbered[number]
            if all(
                not row.get(column, "").strip()
                for column in ROW_FIELDS[key]
                if column not in _DEFAULTED_ROW_FIELDS
            ):
                continue
            out = {column: row.get(column, "") for column in ROW_FIELDS[key]}
            if whole_number(row.get(ROW_ORIGIN, ""), FORM_FIELDS) is not None:
                out[ROW_ORIGIN] = row[ROW_ORIGIN].strip()
            if key in CITED_LISTS:
                cite(key, number, len(kept))
            kept.append(out)
        values[key] = kept
    if point_rows:
        # Key point rows win over the textarea (a page has one or the other).
        points: list[str] = []
        for number in sorted(point_rows):
            if point_rows[number].strip():
                cite("keyPoints", number, len(points))
                points.append(point_rows[number].strip())
        values["keyPoints"] = points
    described: dict[str, Any] = {key: values[key] for key in FORM_KEYS}
    if cited_form:
        described["provenance"] = provenance
    return described


def whole_number(text: object, most: int) -> int | None:
    """`text` (a form's or a query's value) as a whole number from 0 to `most`, when it is
    written in ASCII digits; None otherwise — never an error. (`str.isdigit` alone takes "²",
    which `int` refuses.)"""
    digits = str(text).strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(most)):
        return None
    number = int(digits)
    return number if number <= most else None


def record_values(record: Record) -> dict[str, Any]:
    """The same shape as `form_values`, from a saved record, to fill the form. The body is
    the Markdown; a record that has HTML only gets Markdown made from its HTML. Each row
    carries `_base`, the index of the part it shows (see ROW_ORIGIN)."""
    wire = record.to_wire()
    values: dict[str, Any] = {}
    for key in FORM_KEYS:
        if key == "body":
            values[key] = record_markdown(record)
        elif key in CHECKBOX_FIELDS:
            values[key] = bool(wire[key])
        elif key in LINE_LIST_FIELDS:
            values[key] = list(wire[key])
        elif key in ROW_FIELDS:
            values[key] = [
                {
                    **{column: _cell(item.get(column)) for column in ROW_FIELDS[key]},
                    ROW_ORIGIN: str(i),
                }
                for i, item in enumerate(wire.get(key, []))  # an own key may be absent
            ]
        else:
            values[key] = str(wire[key])
    values["provenance"] = {
        citation.claim: {"sources": list(citation.sources), "sentence": citation.sentence or ""}
        for citation in record.provenance
    }
    return values


def shown_values(record: Record) -> dict[str, Any]:
    """`record_values` for reading (a revision, the other side of a conflict): without the
    form's own bookkeeping (each row's `_base`), which is no part of the record; citations
    as the record lists them."""
    values = record_values(record)
    for key in ROW_FIELDS:
        values[key] = [
            {column: cell for column, cell in row.items() if column != ROW_ORIGIN}
            for row in values[key]
        ]
    values["provenance"] = [
        {
            "claim": citation.claim,
            "sources": " ".join(citation.sources),
            "sentence": citation.sentence or "",
        }
        for citation in record.provenance
    ]
    return values


def citation_choices(values: Mapping[str, Any]) -> list[tuple[int, str, str]]:
    """(number, URL, label) of each source, then each document, of a form's values: what a
    key point or timeline row may cite, numbered as the record's page numbers them."""
    choices: list[tuple[int, str, str]] = []
    for key in ("sources", "documents"):
        for row in values.get(key) or []:
            url = str(row.get("url") or "").strip() if isinstance(row, Mapping) else ""
            if url and url not in (c[1] for c in choices):
                title = str(row.get("title") or "").strip() or url
                choices.append((len(choices) + 1, url, title))
    return choices


def record_markdown(record: Record) -> str:
    """The Markdown an editor edits: the body, or Markdown made from the HTML of a record
    that arrived as HTML only."""
    if not record.body and record.body_html:
        return html_to_markdown(record.body_html)
    return record.body


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def flat_fields(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser posts for a form filled with `values` (what the
    template emits): lists joined one item a line, a checkbox only when checked, one input
    per row cell (and the row's `_base` when it has one)."""
    fields: list[tuple[str, str]] = []
    for key in FORM_KEYS:
        if key not in values:
            continue
        value = values[key]
        if key in CHECKBOX_FIELDS:
            if value:
                fields.append((key, "on"))
        elif key == "keyPoints":
            # Rows, as the form's page posts them, each with its citation.
            for i, point in enumerate(value):
                fields.append((f"keyPoints.{i}.{KEY_POINT_TEXT}", point))
                fields.extend(_cite_fields(values, "keyPoints", i))
        elif key in LINE_LIST_FIELDS:
            fields.append((key, "\n".join(value)))
        elif key in ROW_FIELDS:
            for i, row in enumerate(value):
                for column in (*ROW_FIELDS[key], ROW_ORIGIN):
                    if column in row:
                        fields.append((f"{key}.{i}.{column}", _cell(row[column])))
                if key in CITED_LISTS:
                    fields.extend(_cite_fields(values, key, i))
        else:
            fields.append((key, _cell(value)))
    return fields


def _cite_fields(values: Mapping[str, Any], key: str, i: int) -> list[tuple[str, str]]:
    entry = (values.get("provenance") or {}).get(f"{key}/{i}") or {}
    fields = [(f"{key}.{i}.cites", url) for url in entry.get("sources", [])]
    fields.append((f"{key}.{i}.sentence", str(entry.get("sentence") or "")))
    return fields


@dataclass
class _Building:
    """What assembling one record from form values collects besides its data: problems found
    before pydantic sees it (they take precedence for their path) and the unknown-key
    positions carried over from the edited record."""

    errors: dict[str, Wording]
    anchors: dict[str, dict[str, str | None]]


def record_from_form(
    values: Mapping[str, Any],
    site: Site,
    *,
    slug: str,
    base: Record | None,
    today: date,
) -> Record:
    """The record `values` (form_values' shape) describe, validated as strictly as an import
    (vocabulary keys of `site`, real dates, http(s) URLs); raises FormErrors with every
    problem. `slug` is the record's; updateLog, lastUpdated, unknown keys (and their
    positions) and any form key missing from `values` come from `base` — for a new record
    (`base` None): no updates and lastUpdated = `today`. The body's HTML is its sanitized
    rendering (an HTML-only record whose Markdown was not edited keeps its HTML as it was)."""
    state = _Building(errors={}, anchors={})
    base_wire = base.to_storage() if base is not None else {}
    base_anchors: dict[str, dict[str, str | None]] = base_wire.pop("$anchors", {})

    data: dict[str, Any] = {}
    for key in RECORD_KEYS:
        if key in DERIVED_KEYS:
            continue
        if key == "slug":
            data[key] = slug
        elif key == "lastUpdated":
            data[key] = base_wire.get(key, today.isoformat())
        elif key == "updateLog":
            data[key] = base_wire.get(key, [])
        elif key not in values:
            if key in base_wire:
                data[key] = base_wire[key]
            elif key in ROW_FIELDS or key in LINE_LIST_FIELDS:
                data[key] = []
            elif key in CHECKBOX_FIELDS:
                data[key] = False
            # A missing text field stays missing: pydantic reports it as required.
        elif key in ROW_FIELDS:
            base_items = base_wire.get(key, [])
            data[key] = _parts(key, values[key], base_items, base_anchors, state)
        elif key in CHECKBOX_FIELDS:
            data[key] = bool(values[key])
        elif key in LINE_LIST_FIELDS:
            items = values[key]
            if isinstance(items, str):  # a textarea's text, not yet split
                items = _text(items).split("\n")
            data[key] = [str(item).strip() for item in items if str(item).strip()]
        else:
            text = _text(str(values[key]))
            data[key] = text.strip() if key in _STRIPPED else text
    if "title" in data and not str(data["title"]).strip():
        state.errors["title"] = said(N_("a title is required"))

    data["provenance"] = _provenance(values, data, base, state)
    if base_wire.get("externalId"):
        # Not on the form: the spreadsheet row's id stays, so a re-import finds the record.
        data["externalId"] = base_wire["externalId"]
    if "locations" in values:
        data["locations"] = _parts(
            "locations", values["locations"], base_wire.get("locations", []), base_anchors, state
        )
    else:
        data["locations"] = base_wire.get("locations", [])

    # Unknown record keys of the edited record, where they stood.
    if base is not None and base.model_extra:
        data.update(base.model_extra)
        if "" in base_anchors:
            state.anchors[""] = dict(base_anchors[""])
    length = len(str(values.get("body", "")))
    if length > MAX_BODY_CHARS:
        # Not rendered: the form comes back with the text as typed and this beside it.
        state.errors["body"] = said(
            N_("the body is %(length)s characters; at most %(most)s"),
            length=f"{length:,}",
            most=f"{MAX_BODY_CHARS:,}",
        )
        data["$body"], data["$bodyHtml"] = "", ""
    else:
        data["$body"], data["$bodyHtml"] = _body(values, base)
    data["$anchors"] = state.anchors

    try:
        record = Record.model_validate(data, context={"site": site})
    except ValidationError as error:
        types: set[str] = set()
        for problem in error.errors(include_url=False):
            types.add(problem["type"])
            field = _dotted(problem.get("loc", ()))
            path = field
            top = path.split(".", 1)[0]
            message = error_words(problem)
            if top in LINE_LIST_FIELDS and path != top:
                # One line of a textarea: shown beside the textarea, naming the item.
                item = path.split(".")[1]
                where = said(N_("item %(n)s"), n=int(item) + 1) if item.isdigit() else item
                path, message = top, prefixed(where, message)
            elif top == "locations" and path.count(".") == 1:
                # A whole location's problem (precisions, a lone latitude): beside the rows.
                where = said(N_("location %(n)s"), n=int(path.split(".")[1]) + 1)
                path, message = top, prefixed(where, message)
            elif top == "provenance" and _citation_row(data, path):
                # A citation's problem (a sentence too long): beside its row's citations.
                last = _last(field)
                where = Wording(FIELD_WORDS[last]) if last in FIELD_WORDS else last
                path, message = _citation_row(data, path), prefixed(where, message)
            elif top not in FORM_KEYS and top != "slug":
                # Not a field of the form (a server-owned key): say which, at record level.
                path, message = "", prefixed(field, message)
            state.errors.setdefault(path, message)
        raise FormErrors(state.errors, site.language, frozenset(types)) from None
    if state.errors:
        raise FormErrors(state.errors, site.language)
    return record


def _provenance(
    values: Mapping[str, Any], data: dict[str, Any], base: Record | None, state: _Building
) -> list[dict[str, Any]]:
    """The record's citations: the form's (each row's), checked against the sources and
    documents the form lists; or, from a post without citation inputs, the edited record's
    citations of the claims the form still makes (module docstring).

    A source row whose URL was corrected takes its citations along (rows name the part they
    show, `_base`); a citation of a source the editor deleted in this post goes with it. A
    ticked URL the edited record never listed either is an error beside the row."""
    listed = {str(part.get("url")) for key in ("sources", "documents") for part in data[key]}
    given = values.get("provenance")
    if not isinstance(given, Mapping):
        return _kept_citations(data, base)
    renamed, removed = _source_changes(values, base, listed)
    out: list[dict[str, Any]] = []
    for claim, entry in given.items():
        kind, _, index = str(claim).partition("/")
        if kind not in CITED_LISTS or not index.isdigit() or not isinstance(entry, Mapping):
            continue
        path = f"{kind}.{index}.cites"
        urls = [renamed.get(str(url), str(url)) for url in entry.get("sources") or []]
        urls = [url for url in dict.fromkeys(urls) if url not in removed]
        sentence = _text(str(entry.get("sentence") or "")).strip()
        unknown = [url for url in urls if url not in listed]
        if unknown:
            state.errors[path] = said(
                N_(
                    "cites %(url)s, which is not one of this record's sources or documents: "
                    "untick it, or list it among the sources"
                ),
                url=repr(unknown[0][:80]),
            )
            continue
        if not urls:
            if sentence and not entry.get("sources"):
                state.errors[path] = said(
                    N_("tick the source this sentence comes from (or clear the sentence)")
                )
            continue  # (a deleted source's citation goes with it, sentence and all)
        citation: dict[str, Any] = {"claim": f"{kind}/{int(index)}", "sources": urls}
        if sentence:
            citation["sentence"] = sentence
        out.append(citation)
    return _in_claim_order(out)


def _source_changes(
    values: Mapping[str, Any], base: Record | None, listed: set[str]
) -> tuple[dict[str, str], set[str]]:
    """(old URL → new URL of each source or document row whose URL was edited, URLs the
    edited record listed that this post no longer lists)."""
    if base is None:
        return {}, set()
    renamed: dict[str, str] = {}
    for key, parts in (("sources", base.sources), ("documents", base.documents)):
        for row in values.get(key) or []:
            if not isinstance(row, Mapping):
                continue
            j = whole_number(row.get(ROW_ORIGIN, ""), FORM_FIELDS)
            url = str(row.get("url") or "").strip()
            if j is not None and j < len(parts) and url and parts[j].url != url and _is_url(url):
                renamed.setdefault(parts[j].url, url)
    before = {s.url for s in base.sources} | {d.url for d in base.documents}
    removed = {url for url in before if url not in listed and url not in renamed}
    return renamed, removed


def _citation_row(data: dict[str, Any], path: str) -> str:
    """`keyPoints.2.cites` for an error at `provenance.N...` of the record being built ("" when
    it names no citation of it)."""
    parts = path.split(".")
    citations = data.get("provenance") or []
    if len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) >= len(citations):
        return ""
    kind, _, index = str(citations[int(parts[1])].get("claim", "")).partition("/")
    return f"{kind}.{index}.cites" if kind in CITED_LISTS and index.isdigit() else ""


def _last(field: str | None) -> str:
    return (field or "").rsplit(".", 1)[-1]


def _is_url(text: str) -> bool:
    """Whether `text` is a URL a citation may hold (a bad one is the source row's error)."""
    try:
        check_url(text)
    except ValueError:
        return False
    return True


def _kept_citations(data: dict[str, Any], base: Record | None) -> list[dict[str, Any]]:
    if base is None or not base.provenance:
        return []
    base_points, base_entries = base.key_points, base.to_wire()["timeline"]
    points, entries = data.get("keyPoints", []), data.get("timeline", [])
    point_origins = _same_items(points, base_points)
    entry_origins = _same_items(
        [(e.get("date"), e.get("title")) for e in entries],
        [(e.get("date"), e.get("title")) for e in base_entries],
    )
    citations = list(base.provenance)

    citations = moved(citations, "keyPoints", point_origins)
    citations = moved(citations, "timeline", entry_origins)
    return [citation.to_wire() for citation in citations]


def _same_items(items: list[Any], base_items: list[Any]) -> list[int | None]:
    """For each item, the index of an equal item of `base_items` (each used once)."""
    free: dict[Any, list[int]] = {}
    for j, item in enumerate(base_items):
        free.setdefault(item, []).append(j)
    return [free[item].pop(0) if free.get(item) else None for item in items]


def _in_claim_order(citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        citations,
        key=lambda c: (CITED_LISTS.index(c["claim"].split("/")[0]), int(c["claim"].split("/")[1])),
    )


def _body(values: Mapping[str, Any], base: Record | None) -> tuple[str, str]:
    if "body" not in values:
        return (base.body, base.body_html) if base is not None else ("", "")
    body = _text(str(values["body"]))
    if base is not None and not base.body and base.body_html:
        # HTML-only record: if the Markdown made for the form came back untouched, keep the
        # HTML as it was rather than a rendering of a conversion of it.
        if body.strip() == record_markdown(base).strip():
            return base.body, base.body_html
    return body, render_markdown(body)


def _parts(
    key: str,
    rows: Any,
    base_items: list[dict[str, Any]],
    base_anchors: dict[str, dict[str, str | None]],
    state: _Building,
) -> list[dict[str, Any]]:
    """Rows as wire parts: optional blanks omitted, counts as integers, each part given the
    unknown keys (and their positions) of the edited record's part it shows."""
    columns = ROW_FIELDS[key]
    parts: list[dict[str, Any]] = []
    for i, row in enumerate(rows if isinstance(rows, list) else []):
        part: dict[str, Any] = {}
        for column in columns:
            raw = row.get(column) if isinstance(row, Mapping) else None
            text = "" if raw is None else _text(str(raw))
            if column in _STRIPPED:
                text = text.strip()
            if column in OPTIONAL_ROW_FIELDS[key] and not text.strip():
                continue
            if column == "count":
                if not re.fullmatch(r"\d{1,15}", text):
                    state.errors[f"{key}.{i}.count"] = said(
                        N_("a count is a whole number, 0 or more, got %(value)s"),
                        value=repr(text[:40]),
                    )
                    continue
                part[column] = int(text)
            elif column in _DEGREES:
                degrees = _degrees(text, _DEGREES[column])
                if degrees is None:
                    state.errors[f"{key}.{i}.{column}"] = said(
                        N_("%(field)s in decimal degrees, -%(most)s to %(most)s, got %(value)s"),
                        field=Wording(FIELD_WORDS[column]),
                        most=_DEGREES[column],
                        value=repr(text[:40]),
                    )
                    continue
                part[column] = degrees
            elif column == "country":
                part[column] = text.upper()  # ISO codes are upper case; "ps" meant PS
            else:
                part[column] = text
        parts.append(part)
    origins = _match_origins(key, rows if isinstance(rows, list) else [], parts, base_items)
    for i, origin in enumerate(origins):
        if origin is None:
            continue
        known = set(columns)
        extra = {k: v for k, v in base_items[origin].items() if k not in known}
        if extra:
            parts[i] = {**parts[i], **extra}
            if f"{key}.{origin}" in base_anchors:
                state.anchors[f"{key}.{i}"] = dict(base_anchors[f"{key}.{origin}"])
    return parts


def _degrees(text: str, most: int) -> float | None:
    """`text` as decimal degrees within ±`most`, or None (a comma as the decimal mark is
    taken: spreadsheets in many locales write one)."""
    if not re.fullmatch(r"[+-]?\d{1,3}([.,]\d{1,12})?", text):
        return None
    value = float(text.replace(",", "."))
    return value if -most <= value <= most else None


def _known(item: Mapping[str, Any], columns: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(item.get(column) for column in columns)


def _match_origins(
    key: str, rows: list[Any], parts: list[dict[str, Any]], base_items: list[dict[str, Any]]
) -> list[int | None]:
    """For each row, the index of the edited record's part it shows (or None): by the row's
    `_base` hint, else an identical part, else a part with the same identity (URL, name, …),
    else — when no row was added or deleted — the part at the same position."""
    columns = ROW_FIELDS[key]
    origins: list[int | None] = [None] * len(parts)
    used: set[int] = set()
    if not any(base_items[j].keys() - set(columns) for j in range(len(base_items))):
        return origins  # no unknown keys to carry: nothing to match
    for i, row in enumerate(rows[: len(parts)]):
        hint = row.get(ROW_ORIGIN, "") if isinstance(row, Mapping) else ""
        j = whole_number(hint, FORM_FIELDS) if isinstance(hint, str) else None
        if j is not None:
            if j < len(base_items) and j not in used:
                origins[i] = j
                used.add(j)

    def match(same: Callable[[dict[str, Any], dict[str, Any]], bool]) -> None:
        for i, part in enumerate(parts):
            if origins[i] is not None:
                continue
            order = sorted(range(len(base_items)), key=lambda j: (j != i, j))  # same index first
            for j in order:
                if j not in used and same(part, base_items[j]):
                    origins[i] = j
                    used.add(j)
                    break

    match(lambda part, item: _known(part, columns) == _known(item, columns))
    identity = _IDENTITY[key]
    match(lambda part, item: _known(part, identity) == _known(item, identity))
    if len(parts) == len(base_items):
        for i in range(len(parts)):
            if origins[i] is None and i not in used:
                origins[i] = i
                used.add(i)
    return origins


def slug_for(title: str, taken: Callable[[str], bool]) -> str:
    """A free slug for a record titled `title`: `slugify`'s (lower-case ASCII words joined by
    hyphens, at most 80 characters; "record" when the title has no letter or digit), with
    -2, -3, … added while `taken(slug)` says it is in use."""
    base = slugify(title) or "record"
    slug, n = base, 1
    while taken(slug):
        n += 1
        suffix = f"-{n}"
        slug = base[: 80 - len(suffix)].rstrip("-") + suffix
    return slug


__all__ = [
    "CHECKBOX_FIELDS",
    "FORM_KEYS",
    "LINE_LIST_FIELDS",
    "OPTIONAL_ROW_FIELDS",
    "ROW_FIELDS",
    "ROW_ORIGIN",
    "SERVER_OWNED",
    "TEXT_FIELDS",
    "FormErrors",
    "citation_choices",
    "flat_fields",
    "form_values",
    "record_from_form",
    "record_markdown",
    "record_values",
    "slug_for",
    "slugify",
]
