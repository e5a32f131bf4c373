"""Recall: names found the way people type them, full-text search, and who can help with what."""
