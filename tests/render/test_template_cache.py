"""Compiled templates kept between commands (render/templates.py `bytecode_cache`): written
to a per-language folder, loaded by the next environment, recompiled when a template
changes; and no cache, not an error, where the folder cannot be written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from casework.render import templates
from casework.render.templates import bytecode_cache
from casework.web import views


def fresh(folder: Path, root: Path) -> Environment:
    """A new environment (as a new process makes) over the templates in `folder`."""
    cache = bytecode_cache("en", root=root)
    return Environment(loader=FileSystemLoader(folder), bytecode_cache=cache)


def test_a_second_environment_loads_the_compiled_template_and_a_change_recompiles(
    tmp_path: Path,
) -> None:
    pages, root = tmp_path / "templates", tmp_path / "cache"
    pages.mkdir()
    (pages / "page.html").write_text("Hello {{ name }}")
    assert fresh(pages, root).get_template("page.html").render(name="A") == "Hello A"
    written = list(root.glob("jinja-*/*.cache"))
    assert len(written) == 1

    second = fresh(pages, root)
    cache = second.bytecode_cache
    assert cache is not None
    source = (pages / "page.html").read_text()
    bucket = cache.get_bucket(second, "page.html", str(pages / "page.html"), source)
    assert bucket.code is not None  # found compiled: no compile needed
    assert second.get_template("page.html").render(name="B") == "Hello B"

    (pages / "page.html").write_text("Goodbye {{ name }}")
    changed = (pages / "page.html").read_text()
    stale = cache.get_bucket(second, "page.html", str(pages / "page.html"), changed)
    assert stale.code is None  # the source's checksum differs: compiled again
    assert fresh(pages, root).get_template("page.html").render(name="C") == "Goodbye C"


def test_each_language_and_each_environment_has_its_own_folder(tmp_path: Path) -> None:
    # FixedWords puts a language's translations into the compiled code; the editor's
    # environment compiles the same templates without it.
    made = [
        bytecode_cache("en", root=tmp_path),
        bytecode_cache("fr", root=tmp_path),
        bytecode_cache("en", made_by=views.__file__, root=tmp_path),
    ]
    assert None not in made
    assert len(list(tmp_path.iterdir())) == 3


def test_an_unwritable_cache_folder_still_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # a file where the folder would go: mkdir fails, even as root
    assert bytecode_cache("en", root=blocked) is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    env = templates.environment.__wrapped__("en")
    assert env.bytecode_cache is None
    assert "<html" in env.get_template("not_found.html").render(site={"title": "T"})


def test_a_cache_folder_gone_after_it_was_made_still_renders(tmp_path: Path) -> None:
    pages, root = tmp_path / "templates", tmp_path / "cache"
    pages.mkdir()
    (pages / "page.html").write_text("Hi")
    env = fresh(pages, root)
    shutil.rmtree(root)  # the compiled code cannot be written: rendered anyway
    assert env.get_template("page.html").render() == "Hi"
