"""Tests of the practice: prospects, opportunities and the mentor's side (issue #16)."""
