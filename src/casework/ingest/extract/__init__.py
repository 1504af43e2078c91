"""Extractors: each a small step from an Article (and what the tracker already knows) to
items, every item carrying the Span of the sentence it came from."""
