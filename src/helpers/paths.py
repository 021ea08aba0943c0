"""Where things live in the repository, resolved once with pathlib.

Notebooks, tests and scripts import these constants instead of building
paths relative to their own folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Repository root (the folder holding pyproject.toml). Override with HELPERS_ROOT.
ROOT = Path(os.environ.get("HELPERS_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR = ROOT / "data"
DATAPACKAGE = DATA_DIR / "datapackage.json"
REFERENCE_DIR = DATA_DIR / "reference"
GEO_DIR = DATA_DIR / "geo"
BASEMAP = GEO_DIR / "countries_region.geojson"
WORLD_BASEMAP = GEO_DIR / "countries_world.geojson"
EXPORTS_DIR = DATA_DIR / "exports"
NOTEBOOKS_DIR = ROOT / "notebooks"
FIGURES_DIR = ROOT / "figures"
#: Where a local copy of the seed article (The Jerusalem Post, 30 December 2019) may lie, for the
#: tests that measure against its text; the text is third-party and not in the repository.
#: Set K1_SEED_DIR to point at it; by default the folder the project's CI lays beside the clone.
SEED_DIR = Path(os.environ.get("K1_SEED_DIR") or ROOT.parent / "shared" / "seed")
SEED_URL = "https://www.jpost.com/middle-east/iran-slams-united-states-for-airstrikes-against-kataib-hezbollah-in-iraq-612585"
#: Where validation results are remembered, keyed by the content hash of the data package.
CACHE_DIR = Path(os.environ.get("HELPERS_CACHE", ROOT / ".cache"))


@contextmanager
def atomic_write(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path`` in one step.

    A reader never sees a half-written file, and an interrupted writer leaves the old file whole
    (the temporary file is removed). Errors from the writer propagate unchanged.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_write(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # mkstemp makes the file private; give it the usual permissions
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
