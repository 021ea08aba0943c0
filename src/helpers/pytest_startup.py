"""Loaded first by pytest (``-p helpers.pytest_startup`` in pyproject.toml), before nbval imports nbformat.

It applies :func:`helpers.imports.skip_unused_format_checkers` in the test processes too, so the
controller and each xdist worker do not spend about 1 s compiling parsers for a JSON-schema format
that no schema here uses.
"""

from helpers.imports import skip_unused_format_checkers

skip_unused_format_checkers()
