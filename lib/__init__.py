"""Shared library of the 业界传真 page project: read the page, load its figures, check them."""
