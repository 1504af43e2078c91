"""casework: document incidents, sourced and legally framed, and publish them."""

__version__ = "0.1.0"
