"""Rebuild the base maps in data/geo/ from Natural Earth via the npm package world-atlas.

- countries_region.geojson: 1:10m polygons of the region (maps and the validator's country check);
- countries_world.geojson: 1:110m polygons of every country (the validator's check of sites
  outside the region, such as Washington).

Usage (needs npm and the PyPI registry once; nothing is downloaded at run time):

    python scripts/build_basemap.py            # runs `npm pack world-atlas@2.0.2` in a temp dir
    python scripts/build_basemap.py DIR        # or use a folder holding countries-10m.json and countries-110m.json

The output keeps the countries of the region (Iraq, Syria, Iran and their
neighbours), clipped to a box around them, with ISO 3166-1 codes added
(world-atlas carries only the numeric code and the name).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pycountry
from shapely.geometry import box

from helpers import paths

PACKAGE = "world-atlas@2.0.2"
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
REGION = [
    "IRQ",
    "SYR",
    "IRN",
    "TUR",
    "JOR",
    "SAU",
    "KWT",
    "LBN",
    "ISR",
    "PSE",
    "EGY",
    "CYP",
    "BHR",
    "QAT",
    "ARE",
    "OMN",
    "YEM",
    "AZE",
    "ARM",
    "GEO",
    "TKM",
    "AFG",
    "PAK",
]
BBOX = (30.0, 12.0, 64.0, 43.0)  # lon_min, lat_min, lon_max, lat_max
DECIMALS = 4  # ~10 m; far finer than the 1:10m source


def fetch_topojson(workdir: Path) -> Path:
    """Download the world-atlas tarball with npm, check its hash and unpack countries-10m.json."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True)
    tarball = next(workdir.glob("world-atlas-*.tgz"))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        raise SystemExit(f"{tarball.name}: sha256 {digest} differs from the expected {TARBALL_SHA256}")
    with tarfile.open(tarball) as tar:
        tar.extract("package/countries-10m.json", workdir, filter="data")
        tar.extract("package/countries-110m.json", workdir, filter="data")
    return workdir / "package"


def build(topojson: Path, out: Path) -> gpd.GeoDataFrame:
    """Select, clip, code and write the regional country polygons."""
    world = gpd.read_file(topojson, layer="countries").set_crs("EPSG:4326")
    world["iso_n3"] = world["id"].astype(str).str.zfill(3)
    codes = {c.numeric: c.alpha_3 for c in pycountry.countries}
    world["iso_a3"] = world["iso_n3"].map(codes)
    region = world[world["iso_a3"].isin(REGION)].copy()
    missing = sorted(set(REGION) - set(region["iso_a3"]))
    if missing:
        raise SystemExit(f"{topojson}: countries not found: {missing}")
    region["geometry"] = region.geometry.make_valid().intersection(box(*BBOX)).set_precision(10**-DECIMALS)
    region = region[["iso_a3", "iso_n3", "name", "geometry"]].sort_values("iso_a3").reset_index(drop=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    region.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=DECIMALS, WRITE_BBOX="NO")
    # Make the file byte-stable: GDAL writes no timestamps, but normalise the trailing newline.
    text = json.dumps(json.loads(out.read_text(encoding="utf-8")), separators=(",", ":"), sort_keys=True)
    out.write_text(text + "\n", encoding="utf-8")
    return region


WORLD_DECIMALS = 3  # ~100 m; finer than the 1:110m source


def build_world(topojson: Path, out: Path) -> gpd.GeoDataFrame:
    """Write every country of the 1:110m world map with its ISO 3166-1 codes (features without a code are dropped)."""
    world = gpd.read_file(topojson, layer="countries").set_crs("EPSG:4326")
    world["iso_n3"] = world["id"].astype("string").str.zfill(3)
    codes = {c.numeric: c.alpha_3 for c in pycountry.countries}
    world["iso_a3"] = world["iso_n3"].map(codes)
    world = world[world["iso_a3"].notna()].copy()
    world["geometry"] = world.geometry.make_valid().set_precision(10**-WORLD_DECIMALS)
    world = world[["iso_a3", "iso_n3", "name", "geometry"]].sort_values("iso_a3").reset_index(drop=True)
    world.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=WORLD_DECIMALS, WRITE_BBOX="NO")
    text = json.dumps(json.loads(out.read_text(encoding="utf-8")), separators=(",", ":"), sort_keys=True)
    out.write_text(text + "\n", encoding="utf-8")
    return world


def main(argv: list[str]) -> None:
    """Build both base maps from a folder holding the TopoJSON files, or fetch them with npm first."""

    def write(folder: Path) -> None:
        region = build(folder / "countries-10m.json", paths.BASEMAP)
        world = build_world(folder / "countries-110m.json", paths.WORLD_BASEMAP)
        for out, frame in ((paths.BASEMAP, region), (paths.WORLD_BASEMAP, world)):
            print(f"wrote {out.relative_to(paths.ROOT)}: {len(frame)} countries, {out.stat().st_size / 1e3:.0f} kB")

    if argv:
        write(Path(argv[0]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            write(fetch_topojson(Path(tmp)))


if __name__ == "__main__":
    main(sys.argv[1:])
