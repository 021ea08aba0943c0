"""Distances are measured in a projected CRS and agree with the geodesic."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Geod

from helpers.geo import basemap, distance_km, distance_table, distance_to_country_km, sites_frame


def geodesic_km(sites, a, b):
    """Distance on the WGS84 ellipsoid, for reference."""
    s = sites.set_index("site_id")
    _, _, metres = Geod(ellps="WGS84").inv(s.at[a, "lon"], s.at[a, "lat"], s.at[b, "lon"], s.at[b, "lat"])
    return metres / 1000


@pytest.mark.parametrize(
    ("a", "b"), [("al_qaim", "abu_kamal"), ("al_qaim", "k1"), ("kermanshah_province", "ain_al_asad"), ("k1", "baghdad")]
)
def test_projected_distance_agrees_with_the_geodesic_within_one_percent(a, b, tables):
    """The regional Lambert projection keeps distances within 1% of the ellipsoidal distance."""
    sites = tables.sites
    assert distance_km(sites, a, b) == pytest.approx(geodesic_km(sites, a, b), rel=0.01)


def test_distance_table_keeps_the_requested_order(tables):
    """The table lists the pairs in the order asked, with km rounded to 0.1."""
    table = distance_table(tables.sites, [("k1", "al_qaim"), ("al_qaim", "abu_kamal")])
    assert table[["from", "to"]].values.tolist() == [["k1", "al_qaim"], ["al_qaim", "abu_kamal"]]


def test_unknown_site_raises_with_its_name(tables):
    """Asking for a site that does not exist names it."""
    with pytest.raises(ValueError, match="atlantis"):
        distance_km(tables.sites, "k1", "atlantis")


def test_nan_coordinates_raise():
    """A site without coordinates cannot be mapped and says which one."""
    sites = pd.DataFrame({"site_id": ["x"], "lat": [float("nan")], "lon": [44.0]})
    with pytest.raises(ValueError, match="without coordinates"):
        sites_frame(sites)


def test_base_map_holds_the_region_with_codes():
    """The committed base map has Iraq, Syria and Iran with ISO codes, in WGS84."""
    world = basemap()
    assert {"IRQ", "SYR", "IRN"} <= set(world["iso_a3"])
    assert world.crs.to_epsg() == 4326


def test_point_inside_its_country_is_zero_km_outside():
    """Baghdad lies inside Iraq; a point in the Gulf lies outside Iraq by tens of km."""
    assert distance_to_country_km(44.37, 33.31, "IRQ") == 0
    assert distance_to_country_km(50.0, 27.0, "IRQ") > 50


def test_a_base_map_is_read_once_per_content_wherever_it_lies(tmp_path, monkeypatch):
    """A copy of the base map in another folder is not read again; the same path rewritten with other polygons is."""
    import shutil

    import geopandas as gpd

    from helpers import geo, paths

    reads: list[str] = []
    original = gpd.read_file
    monkeypatch.setattr(gpd, "read_file", lambda path, *a, **k: reads.append(str(path)) or original(path, *a, **k))
    copy = tmp_path / paths.BASEMAP.name
    shutil.copy(paths.BASEMAP, copy)
    geo.countries_at(44.37, 33.31)
    assert geo.countries_at(44.37, 33.31, copy) == ["IRQ"]
    assert str(copy) not in reads
    copy.write_bytes(paths.WORLD_BASEMAP.read_bytes() + b"\n" * 7)  # same path, content read nowhere else
    assert geo.distance_to_country_km(-77.04, 38.9, "USA", copy) is not None
    assert reads[-1] == str(copy)
