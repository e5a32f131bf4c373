"""Pure domain code: no I/O, no database, no clock reads (callers pass `today`)."""
