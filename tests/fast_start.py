"""Loaded before pytest's other plugins (``-p tests.fast_start`` first in pyproject.toml's
addopts), so that nbval's import of nbformat, in the main process and in every worker, does not
build the IRI grammar no test checks (lib/lazy.py)."""

import sys

from lib.lazy import IRI_PACKAGE, defer_iri_grammar

if IRI_PACKAGE in sys.modules:
    raise ImportError(
        f"tests.fast_start: {IRI_PACKAGE} is imported already, so every test process builds its "
        "grammar (2 s); expected '-p tests.fast_start' before '-p nbval' in pyproject.toml"
    )
defer_iri_grammar()
