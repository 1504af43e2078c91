"""Sentences casework says about input and refusals, kept translatable: an English template
with `%(name)s` placeholders and the values that fill it (`Wording`), so that the command line
and the API print the English (`str()`, the very bytes they always printed) and the editor
shows the same sentence in the tracker's language (`translated`).

Templates are marked `N_("...")` where they are written; scripts/translations.sh extracts them
from casework/model and casework/editing into the catalog the pages' words come from. A value
that is itself a Wording (a field's label, a state's name, a nested reason) is translated too.
`Invalid` is the ValueError a validator raises with one: pydantic keeps the exception in its
error's context, where the editor's form finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from gettext import NullTranslations
from typing import Any, Protocol


class Catalog(Protocol):
    """What translating a Wording asks of a catalog (a gettext translations object)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...

    def pgettext(self, context: str, message: str, /) -> str: ...


ENGLISH: Catalog = NullTranslations()


def N_(message: str) -> str:
    """Marks `message` for the catalog; translated where it is shown."""
    return message


def Np_(context: str, message: str) -> Wording:
    """A word marked for the catalog under `context` (a verb that is also a noun, "create",
    is another entry than the noun), as a Wording."""
    return Wording(message, context=context)


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a sentence and its plural for the catalog, as one entry with plural forms."""
    return singular, plural


@dataclass(frozen=True)
class Wording:
    """`template % params` in English; `translated(catalog)` in a catalog's language. With a
    `plural`, the English for a `num` other than 1, the catalog chooses the form by `num`;
    with a `context`, the catalog's entry under that context (Np_)."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    context: str | None = None

    def __str__(self) -> str:
        return self.translated(ENGLISH)

    def translated(self, catalog: Catalog) -> str:
        if self.plural is not None:
            said = catalog.ngettext(self.template, self.plural, int(self.params["num"]))
        elif self.context is not None:
            said = catalog.pgettext(self.context, self.template)
        else:
            # gettext("") is a catalog's header, not an empty sentence.
            said = catalog.gettext(self.template) if self.template else ""
        if not self.params:
            return said
        return said % {
            name: value.translated(catalog) if isinstance(value, Wording) else value
            for name, value in self.params.items()
        }


def said(template: str, **params: Any) -> Wording:
    """A Wording, written as a call: `said(N_("%(value)s is blank"), value=repr(v))`."""
    return Wording(template, params)


def prefixed(where: str | Wording, what: str | Wording) -> Wording:
    """`where: what` — a problem said with what it is about (a field, an item, a record)."""
    return said(N_("%(where)s: %(what)s"), where=where, what=what)


def verbatim(text: str) -> Wording:
    """Words as they are (another's message, a store's error): no params, so a translation
    is taken only when the catalog holds the very text (a constant marked N_ where written)."""
    return Wording(text)


class Invalid(ValueError):
    """A validator's refusal: its message is the English of `wording`, its `wording` what a
    translation needs."""

    def __init__(self, template: str, **params: Any) -> None:
        self.wording = Wording(template, params)
        super().__init__(str(self.wording))


def wording_of(error: BaseException) -> Wording:
    """The Wording an exception carries (Invalid, casework's refusals), else its text as is."""
    found = getattr(error, "wording", None)
    return found if isinstance(found, Wording) else verbatim(" ".join(str(error).split()))


__all__ = [
    "N_",
    "Catalog",
    "Invalid",
    "Nn_",
    "Np_",
    "Wording",
    "prefixed",
    "said",
    "verbatim",
    "wording_of",
]
