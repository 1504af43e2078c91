"""Ingest: from a news article (a file or a URL) to a proposal an editor accepts item by item.

readers/ turn a source into an Article; fetch.py is the only network code (and archive.py
keeps what it fetched); extract/ finds dated events, figures, quotes, names, laws and tags,
each with the sentence it came from; match.py finds the record the article is about;
propose.py turns all of it into a change set against that record.
"""
