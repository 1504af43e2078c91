"""Rendering: Markdown to sanitized HTML, HTML back to Markdown for editing, text for search."""
