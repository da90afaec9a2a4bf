"""Deferred imports: what the batch runner and the test suite import and seldom use.

jsonschema (under nbformat, under papermill and nbval) imports ``rfc3987_syntax`` to check the
``iri`` and ``iri-reference`` string formats. That package builds its Earley parsers as it is
imported: 1.8 to 2.2 s of every process that imports nbformat, on the 2-core machines this project
is measured on, and no notebook schema uses those formats. :func:`defer_iri_grammar` puts a
stand-in under the package's name that imports the real package the first time a string is
checked: the checks give what they gave, and a process that checks none pays nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

IRI_PACKAGE = "rfc3987_syntax"


def defer_iri_grammar() -> None:
    """Defer the import of ``rfc3987_syntax`` to its first use. Call it before anything imports
    jsonschema; it does nothing when the package is loaded already or not installed."""
    if IRI_PACKAGE in sys.modules or importlib.util.find_spec(IRI_PACKAGE) is None:
        return
    stand_in = types.ModuleType(IRI_PACKAGE, "Stands in for rfc3987_syntax until first used.")
    stand_in.is_valid_syntax = lambda term, value: _real().is_valid_syntax(term, value)
    stand_in.__getattr__ = _forward
    stand_in.stand_in = True
    sys.modules[IRI_PACKAGE] = stand_in


def _forward(name: str):
    """Any other name of the package, from the real one; the import machinery's own questions
    (``__path__`` and the like) are answered as for a plain module, without importing it."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_real(), name)


def _real() -> types.ModuleType:
    """The real package, imported in place of the stand-in on first use."""
    if getattr(sys.modules.get(IRI_PACKAGE), "stand_in", False):
        del sys.modules[IRI_PACKAGE]
    return importlib.import_module(IRI_PACKAGE)
