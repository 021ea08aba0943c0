"""Import-time settings for the heavy libraries the helpers use, kept in one place.

jsonschema (imported by nbformat and Frictionless) imports ``rfc3987_syntax`` when it is
installed, and that package compiles about 35 Lark parsers at import: about 1 s on this project's
machines, paid by every render worker and every first validation (jsonschema issue #1428,
https://github.com/python-jsonschema/jsonschema/issues/1428). It is installed here only as an
optional extra of JupyterLab's dependencies, and it serves only the ``iri`` and ``iri-reference``
format checks, which no schema the helpers validate uses (``tests/test_imports.py`` checks the
nbformat and Frictionless schemas for them).
"""

from __future__ import annotations

import sys

#: Optional modules whose import costs more than they serve here: marked absent before use.
SKIPPED_MODULES = ("rfc3987_syntax",)


def skip_unused_format_checkers() -> None:
    """Mark ``SKIPPED_MODULES`` absent, so jsonschema skips the checks they serve; a no-op once imported.

    Call before nbformat or Frictionless is imported. A module already imported is left alone.

    >>> skip_unused_format_checkers()
    >>> "rfc3987_syntax" in sys.modules
    True
    """
    for name in SKIPPED_MODULES:
        sys.modules.setdefault(name, None)
