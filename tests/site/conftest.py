"""Fixtures of the site-audit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from site_server import LocalSite, serve


@pytest.fixture
def local_site() -> Iterator[LocalSite]:
    yield from serve(LocalSite())
