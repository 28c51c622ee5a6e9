"""Helpers for the book: loading validated data, the chart style, shared chart functions."""

__version__ = "0.1.0"
