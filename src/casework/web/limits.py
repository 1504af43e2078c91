"""How much a request may send, per kind of route (the route table, app.py, sets each as the
route's `max_body_size`): past it the request gets 413 before more is read — at once when
its Content-Length says so, at the limit when it is sent in chunks — so that no one, signed
in or not, makes the server hold more than this in memory. Anonymous callers never get that
far on the editor's routes (gate.py).

The record's own limits set these: a Markdown body of up to MAX_BODY_CHARS characters (4
bytes each at most in UTF-8, 3 more when a form or JSON escapes it), the other fields and
their rows beside it. The editor's form and the editing API take the same records, so they
take the same sizes: a record the API accepts is never refused by the editor's form.
"""

from __future__ import annotations

MAX_BODY_CHARS = 2_000_000
"""The longest Markdown body a record may have, whichever way it is written."""

RECORD_BYTES = 32 << 20
"""A record's form post or JSON write: its body at the worst escaping, and the rest."""

REVISION_MAX = 2**31 - 1
"""The largest revision number a form or an API body may name: past any real one, and a
"no such revision" rather than an integer too large for the database."""

FORM_FIELDS = 20_000
"""Inputs in one record form: three per timeline entry or source, five per party."""

PREVIEW_BYTES = 4 << 20
"""A preview of the body (the text alone, form-encoded)."""

LOGIN_BYTES = 16 << 10
SMALL_FORM_BYTES = 64 << 10
"""Workflow buttons, restore, account and user pages, the proposals' URL box."""
