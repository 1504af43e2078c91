"""Readers: a file or fetched bytes → an Article (readers/html.py, markdown.py, pdf.py)."""
