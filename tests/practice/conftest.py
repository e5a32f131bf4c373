"""The web fixtures, shared with tests/web."""

from tests.web.conftest import app, client, demo_client

__all__ = ["app", "client", "demo_client"]
