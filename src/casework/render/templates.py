"""The Jinja2 environments (one per language) shared by the live site and the static build."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    select_autoescape,
)
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup
from markupsafe import escape as markup_escape

import casework
from casework.model.wording import N_ as N_  # re-exported: the web marks its words with it
from casework.render import i18n


def human_date(value: date | str, language: str = "en") -> str:
    """`2025-12-02` (a date or its ISO text) → `December 2, 2025` (in `language`)."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return i18n.day_in_words(day, language)


_markup = str.__new__
# markupsafe's C escaper (its `escape` is this, wrapped in two Python calls); with a
# markupsafe that has none, its escape's text.
_escape_inner: Callable[[str], str] = getattr(
    markupsafe, "_escape_inner", lambda text: str(markup_escape(text))
)


def escape(value: Any, /) -> Markup:
    """`markupsafe.escape`, the same Markup, at a third of its cost for a str (a page's
    every `{{ value }}` and every value of render/pages.py's HTML: ~4.5 million calls in a
    10,000-record build, whose Python wrappers, a hasattr and Markup's own `__new__` each,
    were a twentieth of its CPU). Markup is given back as it is (escape copies it)."""
    kind = type(value)
    if kind is str:
        return _markup(Markup, _escape_inner(value))
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    return markup_escape(value)


class _Template(jinja2.Template):
    """A template whose `{{ value }}` output calls `escape` above: the compiled code looks
    `escape` up in its module's namespace, which its functions share as their globals."""

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: Any,
        globals: Any,
        uptodate: Any = None,
    ) -> jinja2.Template:
        made = super().from_code(environment, code, globals, uptodate)
        made.root_render_func.__globals__["escape"] = escape
        return made


@cache
def environment(language: str = "en") -> Environment:
    """The public pages' templates, their words in `language` (a Site's `language`)."""
    env = Environment(
        loader=PackageLoader("casework.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n", FixedWords],
        bytecode_cache=bytecode_cache(language),
    )
    env.template_class = _Template
    install_language(env, language)
    env.filters["place"] = partial(place_label, language=language)
    env.filters["month_name"] = partial(month_name, language=language)
    env.filters["by_month"] = by_month
    env.filters["word"] = lambda key, words: words.get(key, key)
    env.filters["place_text"] = partial(place_text, language=language)
    env.filters["facet_options"] = facet_options
    env.filters["cards"] = cards
    return env


def bytecode_cache(
    language: str, made_by: str = __file__, root: Path | None = None
) -> BytecodeCache | None:
    """The compiled templates of `language`'s environment, kept between commands (each
    `casework build` or `serve` compiled them again: 0.2 s CPU for the site's). Under `root`
    (default `$XDG_CACHE_HOME/casework`, else ~/.cache/casework: the user's, never the site's
    output), in a folder named for all the compiled code depends on beyond a template's own
    text: the language and its catalog (`FixedWords` puts translations into the code), the
    module `made_by` that makes the environment (its options and extensions: the editor's
    environment loads these same templates without `FixedWords`, so it has its own folder),
    casework's and Jinja's versions. Jinja checks each template's own text itself: a bucket
    stores the source's SHA-1 and is compiled again when it differs. None (compile every
    time, as before) when the folder cannot be made or written: a read-only home is no
    error."""
    try:
        if root is None:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            root = Path(base) / "casework"
        digest = hashlib.sha256(Path(made_by).read_bytes())
        digest.update(f"{casework.__version__} {jinja2.__version__} {language}".encode())
        if language != "en":
            digest.update(
                (i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo").read_bytes()
            )
        maker, key = Path(made_by).stem, digest.hexdigest()[:16]
        folder = root / f"jinja-{casework.__version__}-{maker}-{language}-{key}"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Writable by us? (mkdir succeeds on an existing read-only folder.)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return None
    return _KeptIfWritable(str(folder))


class _KeptIfWritable(FileSystemBytecodeCache):
    """A template whose compiled code cannot be written (disk full, folder made read-only
    since) still renders: the cache only saves time."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def install_language(env: Environment, language: str) -> None:
    """`_`, `gettext`, `ngettext` and the date filter of `env` in `language`, and its
    `language` and `direction` globals (<html lang dir>)."""
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["display_date"] = partial(human_date, language=language)
    env.globals["language"] = language
    env.globals["direction"] = i18n.direction(language)
    env.globals["script_words"] = i18n.script_words


class FixedWords(Extension):
    """`{{ _("Some words") }}` translated once, when the template compiles, not at every
    render: an environment is one language's (`environment`), so a message without
    arguments always gives the same text. Such calls were ~50 a page and a fifth of a record
    page's time (each one a context call, a catalog lookup, a Markup and a `%`). The text is
    what `_` gives when rendering: the translation as Markup (not escaped) `%` no
    arguments; a message that `%` rejects is left to fail at render, as it did."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        language = self.environment.globals.get("language")
        tokens = list(stream)
        if not isinstance(language, str):
            yield from tokens
            return
        i = 0
        while i < len(tokens):
            window = tokens[i : i + 6]
            if [t.type for t in window] == [
                "variable_begin", "name", "lparen", "string", "rparen", "variable_end"
            ] and window[1].value == "_":  # fmt: skip
                text = _fixed(language, window[3].value)
                if text is not None:
                    yield Token(window[0].lineno, "data", text)
                    i += 6
                    continue
            yield tokens[i]
            i += 1


def _fixed(language: str, message: str) -> str | None:
    try:
        # As jinja2.ext's newstyle gettext: the catalog's text is the template's own markup.
        return str(Markup(i18n.gettext(language, message)) % {})  # noqa: S704
    except (KeyError, TypeError, ValueError):
        return None


def cards(records: list[Any], card: Callable[..., str], *args: Any) -> Markup:
    """`{{ card(record, *args) }}` of each record, one after the other: a listing's cards
    in one call from the template rather than a Jinja call each (its call machinery was a
    fifth of a listing page's time). Escaped as `{{ }}` does (a card is Markup: as it is)."""
    return Markup("".join([escape(card(record, *args)) for record in records]))  # noqa: S704


def facet_options(values: list[list[Any]], chosen: str | None, labels: dict[str, str]) -> Markup:
    """A listing form's <option>s of one facet (_macros.html listing_tools): each [value,
    label, count] (publish/listing.py options), the label the vocabulary's when it has none,
    `chosen` selected. In Python: a form offers up to a hundred tags and every year and
    country, and an entity page's form is its own (4,780 forms at 10,000 records)."""
    e = escape
    return Markup(  # noqa: S704  (every value escaped)
        "".join(
            f'<option value="{e(value)}"{" selected" if chosen == value else ""}>'
            f"{e(label or labels.get(value, value))} ({e(n)})</option>"
            for value, label, n in values
        )
    )


def month_name(month: str, language: str = "en") -> str:
    """`2021-03` → `March 2021` (in `language`)."""
    return i18n.month_in_words(date.fromisoformat(month + "-01"), language)


def by_month(records: list[dict[str, Any]]) -> list[list[Any]]:
    """[YYYY-MM, [records]] in the order the records come: a year's timeline by month."""
    grouped: list[list[Any]] = []
    for record in records:
        month = record["date"][:7]
        if not grouped or grouped[-1][0] != month:
            grouped.append([month, []])
        grouped[-1][1].append(record)
    return grouped


_PRECISION_WORDS = {
    "exact": N_("exact location"),
    "town": N_("town or city"),
    "region": N_("region"),
    "country": N_("country"),
}


def place_label(location: Any, language: str = "en") -> str:
    """A location as a record's page shows it: "School annex, Saada, Yemen (exact location)".
    Pages get records in their public form (publish/public_view.py), so this is what may be
    published: a lowered location's name is already gone, its point already rounded."""
    from casework.model.places import country_name

    country = i18n.country(country_name(location.country), language)
    parts = [location.name, location.admin_area, country]
    words = i18n.gettext(language, _PRECISION_WORDS[location.shown_precision.value])
    return i18n.comma(language).join(p for p in parts if p) + f" ({words})"


_PRECISION_OF_WORDS = {words: key for key, words in _PRECISION_WORDS.items()}


def place_text(label: str, language: str = "en") -> str:
    """Places as a card keeps them (English `place_label`s, joined by "; ": cards are the
    same whatever the site's language) in `language`: each one's country and precision."""
    if language == "en" or not label:
        return label
    return "; ".join(_one_place_text(one, language) for one in label.split("; "))


def _one_place_text(label: str, language: str) -> str:
    head, _, words = label.rpartition(" (")
    if not head or words[:-1] not in _PRECISION_OF_WORDS:
        return label
    *named, country = head.split(", ")
    precision = i18n.gettext(language, words[:-1])
    parts = [*named, i18n.country(country, language)]
    return i18n.comma(language).join(parts) + f" ({precision})"
