"""The owner of every row in local mode (a constant here, so light modules need no models)."""

LOCAL_OWNER_ID = 1
"""Local mode has one implicit owner, created by the first migration."""
