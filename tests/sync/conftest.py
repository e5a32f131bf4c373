"""Sync fixtures: one real Radicale for the whole run, a fresh user (and collections) per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.radicale import Radicale, radicale_server


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with radicale_server(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def book(radicale: Radicale) -> tuple[Radicale, str, str]:
    """(server, user, address book URL): an empty address book of a fresh user."""
    user = radicale.new_user()
    return radicale, user, radicale.collection(user, "contacts")


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    return tmp_path
