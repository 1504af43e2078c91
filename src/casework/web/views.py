"""The editor's pages: its template environment, a page or a problem page as a response, and
the checks every editor endpoint starts with (signed in, the form's CSRF token, the role's
permission), raised as `Denied` and turned into their page by `guarded`.

Refusals of the editing service (casework.editing) become pages here too, so that an
endpoint only says what it asks for: a NotAllowed is a 403, a NoSuchMove a 409, a store's
Conflict a 409, a full disk a 507 that says nothing was saved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC
from functools import cache, partial, wraps
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from casework.editing import Act, Actor, EditingError, NotAllowed, allowed
from casework.editing.errors import ACT_WORDS, ROLE_WORDS, status_words
from casework.model import PartyKind, Status
from casework.model.wording import Wording
from casework.render import i18n
from casework.render.pages import vocabulary_labels
from casework.render.templates import N_, bytecode_cache, install_language
from casework.store.base import Conflict, StoreError
from casework.web.auth import Viewer, csrf_ok, login_url, viewer_of
from casework.web.change_labels import change_label
from casework.web.context import context
from casework.web.forms import citation_choices


@cache
def environment(language: str = "en") -> Environment:
    """The editor's templates, their words in `language` (the tracker's [site] language)."""
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("casework.web", "templates"),
                PackageLoader("casework.render", "templates"),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=bytecode_cache(language, made_by=__file__),
    )
    install_language(env, language)
    env.filters["when"] = lambda t: t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    env.filters["field"] = lambda v: "" if v is None else str(v)
    env.filters["lines"] = lambda v: "\n".join(map(str, v)) if isinstance(v, list) else (v or "")
    env.filters["citable"] = citation_choices
    env.filters["change_label"] = partial(change_label, language=language)
    env.filters["checked"] = lambda v: v is True or str(v).lower() in ("on", "true", "1", "yes")
    env.filters["say"] = partial(said_in, language)
    return env


def said_in(language: str, words: Wording | str) -> str:
    """A Wording (a validator's or a refusal's sentence) in `language`; text as it is."""
    return words.translated(i18n.translations(language)) if isinstance(words, Wording) else words


def say(request: Request, words: Wording | str) -> str:
    """`words` in the site's language."""
    return said_in(context(request).site.language, words)


@dataclass(frozen=True)
class Denied(Exception):
    """Raised inside an endpoint to answer with `response` (sign-in, 403, 404)."""

    response: Response


def render(request: Request, template: str, status: int = 200, **values: Any) -> Response:
    """An editor page, never cached by anyone."""
    ctx = context(request)
    viewer = viewer_of(request, ctx.store.accounts)
    vocab, language = ctx.site.vocabularies, ctx.site.language
    html = (
        environment(language)
        .get_template(template)
        .render(
            site=ctx.site,
            viewer=viewer,
            csrf=viewer.csrf_token if viewer else "",
            vocab={
                name: vocabulary_labels(vocab.get(name), language)
                for name in ("category", "severity", "posture")
            },
            classifications=vocabulary_labels(vocab.get("classification"), language),
            party_kinds=[kind.value for kind in PartyKind],
            Act=Act,
            **values,
        )
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def problem(request: Request, status: int, title: str, detail: str, **values: Any) -> Response:
    """A problem page. `title` and `detail` are English, marked N_() where they are written,
    and shown in the site's language, `values` put into the detail's %(name)s after (a value
    that is a Wording, a refusal's reason, in the site's language too)."""
    language = context(request).site.language
    said = i18n.gettext(language, detail)
    if values:
        said %= {name: said_in(language, value) for name, value in values.items()}
    return render(
        request,
        "edit_problem.html",
        status,
        title=i18n.gettext(language, title),
        detail=said,
    )


def who(request: Request) -> Viewer:
    """The signed-in viewer; otherwise the sign-in page (GET) or a 401 page."""
    viewer = viewer_of(request, context(request).store.accounts)
    if viewer is None:
        if request.method == "GET":
            raise Denied(RedirectResponse(login_url(request), status_code=303))
        raise Denied(problem(request, 401, N_("Signed out"), N_("Sign in again to do this.")))
    return viewer


def actor(viewer: Viewer) -> Actor:
    return Actor(viewer.user.username, viewer.user.role, "editor")


def require(request: Request, act: Act, status: Status | None = None, form: Any = None) -> Viewer:
    """The viewer, when signed in, its form's CSRF token good (for a change) and its role
    allowed `act` on a record in `status`; otherwise Denied with the page that says why."""
    viewer = who(request)
    if request.method != "GET" and not csrf_ok(request, viewer, form):
        raise Denied(
            problem(
                request,
                403,
                N_("Form expired"),
                N_(
                    "The form's security token is missing "
                    "or stale. Go back, reload the page and try again."
                ),
            )
        )
    if not allowed(viewer.user.role, act, status):
        raise Denied(not_allowed(request, NotAllowed(viewer.user.role, act, status)))
    return viewer


def not_allowed(request: Request, refused: NotAllowed) -> Response:
    role, act = Wording(ROLE_WORDS[refused.role]), ACT_WORDS[refused.act]
    if refused.status is None:
        return problem(
            request, 403, N_("Not allowed"), N_("Your role (%(role)s) may not %(act)s."),
            role=role, act=act,
        )  # fmt: skip
    return problem(
        request,
        403,
        N_("Not allowed"),
        N_("Your role (%(role)s) may not %(act)s a record that is %(state)s."),
        role=role,
        act=act,
        state=status_words(refused.status),
    )


Endpoint = Callable[[Request], Awaitable[Response]]


def guarded(handler: Endpoint) -> Endpoint:
    """`handler` with its refusals answered as pages: Denied, the editing service's
    refusals, a conflict it did not handle itself, and a store that cannot write."""

    @wraps(handler)
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Denied as denied:
            return denied.response
        except NotAllowed as refused:
            return not_allowed(request, refused)
        except EditingError as refused:
            return problem(request, 409, N_("Not done"), "%(why)s", why=refused.wording)
        except Conflict as error:
            return problem(
                request,
                409,
                N_("Changed meanwhile"),
                N_(
                    "Record %(slug)s changed since revision %(base)s: it is now at revision "
                    "%(current)s. Reload the record to see the change, then try again."
                ),
                slug=repr(error.slug),
                base=error.base_revision,
                current=error.current_revision,
            )
        except StoreError as error:
            return store_problem(request, error)

    return endpoint


def store_problem(request: Request, error: StoreError) -> Response:
    """The page for a store that could not do what was asked (a full disk, a lost
    database): one line of what happened, and that nothing was saved."""
    detail = " ".join(str(error).split()) or type(error).__name__
    return problem(request, 503, N_("Not saved"), N_("%(why)s. Nothing was saved."), why=detail)
