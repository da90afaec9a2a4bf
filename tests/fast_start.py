"""Loaded before pytest's other plugins (``-p tests.fast_start`` in pyproject.toml), so that
nbval's import of nbformat, in the main process and in every worker, does not build the IRI
grammar no test checks (lib/lazy.py)."""

from lib.lazy import defer_iri_grammar

defer_iri_grammar()
