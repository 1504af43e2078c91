"""Fixtures every web test may use: the editor's team (tests/web/editing.py), and the
publishing tests' store (tests/publish/conftest.py: published records, drafts and one in
review). A module with a store of its own shadows the latter."""

from tests.publish.conftest import store  # noqa: F401
from tests.web.editing import team  # noqa: F401
