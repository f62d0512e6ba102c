"""Shared fixtures and options for the test suite.

``--slow`` runs the tests marked ``@pytest.mark.slow`` (large inputs, long fuzzing runs);
without it they are skipped so that CI stays fast.
"""
from __future__ import annotations

import pytest


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False,
                     help="also run the slow tests (large inputs, long fuzzing)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long test, run only with --slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
