"""The editor's team fixture (tests/web/editing.py) for every web test."""

from tests.web.editing import team  # noqa: F401
