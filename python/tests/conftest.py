"""Shared fixtures of the eoslab Python tests (run by `cargo xtask test` in target/python-venv)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def root() -> Path:
    """The repository root (pkg/, notebooks/)."""
    return ROOT
