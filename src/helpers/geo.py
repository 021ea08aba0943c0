"""Geometry: the committed base map, a projected CRS for the region, distances in km."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from helpers import paths

#: Lambert conformal conic fitted to the region (standard parallels 28°N and 38°N,
#: centred on 45°E): distances and the scale bar are computed in this CRS, in metres.
REGION_CRS = "+proj=lcc +lat_1=28 +lat_2=38 +lat_0=33 +lon_0=45 +datum=WGS84 +units=m +no_defs"


#: What was read from base map files, by the SHA-256 of the file's bytes, so a copy of a map in
#: another folder (a test's copy of data/) is not read again, and a changed file is never served stale.
_MAPS: dict[str, gpd.GeoDataFrame] = {}
_SHAPES: dict[tuple[str, str], object] = {}


@lru_cache(maxsize=64)
def _digest(path: str, stamp: tuple[int, int, int]) -> str:
    """SHA-256 of a file's bytes; ``stamp`` (inode, size, mtime in ns) makes a rewritten file hash again."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _key(path: str) -> str:
    """The content key of a base map file."""
    st = Path(path).stat()
    return _digest(path, (st.st_ino, st.st_size, st.st_mtime_ns))


def _basemap(path: str) -> gpd.GeoDataFrame:
    """The polygons of a base map file (WGS84), read once per content."""
    key = _key(path)
    if key not in _MAPS:
        if len(_MAPS) >= 4:
            _MAPS.clear()
        _MAPS[key] = gpd.read_file(path).set_crs("EPSG:4326", allow_override=True)
    return _MAPS[key]


def basemap(path: Path | None = None) -> gpd.GeoDataFrame:
    """Return the committed country polygons (Natural Earth 1:10m, region only), WGS84.

    >>> "IRQ" in set(basemap().iso_a3)
    True
    """
    return _basemap(str(path or paths.BASEMAP)).copy()


def _country_shape(path: str, iso_a3: str):
    """A country's polygons on a base map merged into one shape, or None when the map lacks the country."""
    key = (_key(path), iso_a3)
    if key not in _SHAPES:
        shape = _basemap(path).loc[lambda d: d.iso_a3 == iso_a3]
        _SHAPES[key] = None if shape.empty else shape.geometry.union_all()
    return _SHAPES[key]


def _distance_km(shape, lon: float, lat: float) -> float:
    """Distance (km) from a point to a WGS84 shape, in an azimuthal equidistant projection centred on the point."""
    aeqd = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    projected = gpd.GeoSeries([shape], crs="EPSG:4326").to_crs(aeqd).iloc[0]
    return float(projected.distance(Point(0, 0))) / 1000.0


def distance_to_country_km(lon: float, lat: float, iso_a3: str, path: Path | None = None) -> float | None:
    """Return how far (km, geodesic from the point) a point lies outside a country's polygon on one base map.

    0.0 inside; None when the map does not hold the country. ``path`` defaults to the regional map.

    >>> distance_to_country_km(44.37, 33.31, "IRQ")
    0.0
    """
    shape = _country_shape(str(path or paths.BASEMAP), iso_a3)
    if shape is None:
        return None
    if shape.contains(Point(lon, lat)):
        return 0.0
    return _distance_km(shape, lon, lat)


def countries_at(lon: float, lat: float, path: Path | None = None) -> list[str]:
    """Return the ISO alpha-3 codes of the countries whose polygon holds the point (empty at sea).

    >>> countries_at(44.37, 33.31)
    ['IRQ']
    """
    frame = _basemap(str(path or paths.BASEMAP))
    return sorted(frame.loc[frame.contains(Point(lon, lat)), "iso_a3"].astype(str))


def sites_frame(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """Turn the sites table into a GeoDataFrame of points (WGS84); NaN coordinates raise ValueError.

    >>> from helpers import load
    >>> sites_frame(load().sites).crs.to_epsg()
    4326
    """
    missing = [c for c in ("site_id", "lat", "lon") if c not in sites.columns]
    if missing:
        raise ValueError(f"sites frame lacks column(s) {missing}")
    bad = sites.loc[sites["lat"].isna() | sites["lon"].isna(), "site_id"].tolist()
    if bad:
        raise ValueError(f"sites without coordinates: {bad}")
    return gpd.GeoDataFrame(sites.copy(), geometry=gpd.points_from_xy(sites["lon"], sites["lat"]), crs="EPSG:4326")


def distance_km(sites: pd.DataFrame, a: str, b: str) -> float:
    """Return the distance in km between two sites, measured in the region's projected CRS.

    >>> from helpers import load
    >>> round(distance_km(load().sites, "al_qaim", "abu_kamal"))
    21
    """
    frame = sites_frame(sites).set_index("site_id")
    unknown = [s for s in (a, b) if s not in frame.index]
    if unknown:
        raise ValueError(f"unknown site_id(s) {unknown}; known: {sorted(frame.index)[:10]}...")
    pts = frame.loc[[a, b]].to_crs(REGION_CRS).geometry
    return float(pts.iloc[0].distance(pts.iloc[1])) / 1000.0


def distance_table(sites: pd.DataFrame, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Return a table of distances (km, projected CRS) for the given (site, site) pairs, in that order.

    >>> from helpers import load
    >>> bool(distance_table(load().sites, [("al_qaim", "abu_kamal")])["km"].iloc[0] < 25)
    True
    """
    rows = [{"from": a, "to": b, "km": round(distance_km(sites, a, b), 1)} for a, b in pairs]
    return pd.DataFrame(rows, columns=["from", "to", "km"])
