"""Messages without arguments are translated when a template compiles (render/templates.py
`FixedWords`): the page must read exactly as when `_` runs at render."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from casework.model.site import SITE_LANGUAGES
from casework.render.templates import environment

MESSAGE = re.compile(r'\{\{ _\("([^"]*)"\) \}\}')


def fixed_messages() -> list[str]:
    """Every `{{ _("…") }}` of the public templates."""
    folder = files("casework.render").joinpath("templates")
    found: set[str] = set()
    for item in folder.iterdir():
        if item.name.endswith(".html"):
            found.update(MESSAGE.findall(item.read_text(encoding="utf-8")))
    return sorted(found)


@pytest.mark.parametrize("language", sorted(SITE_LANGUAGES))
def test_fixed_words_read_as_at_render(language: str) -> None:
    env = environment(language)
    messages = fixed_messages()
    assert len(messages) > 50
    for message in messages:
        fixed = env.from_string(f'<p>{{{{ _("{message}") }}}}</p>').render()
        # A filter after the call keeps it a call at render time: the reference.
        called = env.from_string(f'<p>{{{{ _("{message}")|string }}}}</p>').render()
        assert fixed == called, (language, message)
    if language != "en":
        assert env.from_string('{{ _("Search") }}').render() != "Search"


def test_fixed_words_leave_arguments_and_bad_formats_to_render() -> None:
    env = environment("en")
    assert env.from_string('{{ _("%(n)s left", n=3) }}').render() == "3 left"
    assert env.from_string('{{ _("100%%") }}').render() == "100%"
    with pytest.raises(KeyError):  # as `_` itself: a placeholder without its argument
        env.from_string('{{ _("%(n)s left") }}').render()
    # Escaping is the catalog's: `_` gives markup, never escaped text.
    assert env.from_string('{{ _("a <b>") }}').render() == "a <b>"
