"""Where things live in the repository, resolved once with pathlib.

Notebooks, tests and scripts import these constants instead of building
paths relative to their own folder.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root (the folder holding pyproject.toml). Override with HELPERS_ROOT.
ROOT = Path(os.environ.get("HELPERS_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR = ROOT / "data"
DATAPACKAGE = DATA_DIR / "datapackage.json"
REFERENCE_DIR = DATA_DIR / "reference"
GEO_DIR = DATA_DIR / "geo"
BASEMAP = GEO_DIR / "countries_region.geojson"
EXPORTS_DIR = DATA_DIR / "exports"
NOTEBOOKS_DIR = ROOT / "notebooks"
FIGURES_DIR = ROOT / "figures"
SEED_DIR = ROOT.parent / "shared" / "seed"
