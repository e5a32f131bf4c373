"""Use cases and every query. Services take a `Ctx`, never print, never speak HTTP."""
