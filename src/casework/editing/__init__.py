"""The editorial rules in one service (service.py) that every entry point calls: the
permission table (permissions.py), the workflow's moves (workflow.py), what a published
record must have (publishable.py) and how a public change is disclosed (disclosure.py)."""

from casework.editing.errors import EditingError, NoSuchMove, NotAllowed, NotPublishable
from casework.editing.permissions import Act, acts, allowed
from casework.editing.service import Actor, Editing

__all__ = [
    "Act",
    "Actor",
    "Editing",
    "EditingError",
    "NoSuchMove",
    "NotAllowed",
    "NotPublishable",
    "acts",
    "allowed",
]
