"""Build data/zones/zones.parquet from the reviewable tables in data/zones/.

Inputs (all in data/zones/, plain CSV so one row can be corrected and rebuilt):

- ``snapshots.csv``: the periods that tile 2014-01-01 -> open end: ``period``,
  ``valid_from``, ``valid_to`` (exclusive), ``kind`` (``snapshot`` or ``gap``: nobody can
  say), ``label``, ``source``, ``notes``;
- ``control_points.csv``: one row per (place, validity): place (resolved in desertgeo's
  ``places`` gazetteer unless lon/lat are given), controller key (``controllers.csv``),
  ``valid_from`` / ``valid_to``, confidence, source and ``source_date``;
- ``controllers.csv``: the controller taxonomy (stable keys, dated labels, crosswalk series);
- ``euphrates_line.csv``: the Euphrates in Deir ez-Zor as a polyline through riverside towns;
- ``overrides.csv``: explicit geometries over the cells, in row order (later rows win), each
  with its own validity: the river line, the Golan, the Israeli-held band, geodesic circles
  (al-Tanf's 55 km zone around the ``sites`` garrison point; airports and security squares as
  enclaves), WKT polygons.

The work is done by :func:`desertgeo.zonebuild.build_zones` (also used for Wikipedia's
town markers). Output: GeoParquet (EPSG:4326), one row per zone and snapshot.

Run: ``PYTHONPATH=src .venv/bin/python scripts/build_zones.py`` (offline).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from desertgeo import datasets
from desertgeo._atomic import atomic_path
from desertgeo.names import fold_name
from desertgeo.zonebuild import build_zones

ZONES_DIR = Path(__file__).resolve().parents[1] / "data" / "zones"


class Resolver:
    """Place names -> lon/lat through the shipped GeoNames gazetteer (Syria only)."""

    def __init__(self) -> None:
        places = datasets.load("places")
        places = places[places["country"] == "SY"]
        self.index: dict[str, set[tuple[str, float, float]]] = {}
        for row in places.itertuples():
            names = [row.name, row.asciiname, *str(row.alternatenames or "").split("|")]
            for n in names:
                if n:
                    self.index.setdefault(fold_name(n), set()).add(
                        (str(row.name), float(row.longitude), float(row.latitude))
                    )
        self.sites = datasets.load("sites").set_index("site_id")

    def __call__(self, place: str, lon: object, lat: object, where: str) -> tuple[float, float]:
        if str(lon).strip() and str(lat).strip():
            return float(str(lon)), float(str(lat))
        if place.startswith("site:"):
            site = place.removeprefix("site:")
            if site not in self.sites.index:
                raise SystemExit(f"{where}: unknown site {site!r}")
            geom = self.sites.loc[site].geometry
            return float(geom.x), float(geom.y)
        hits = self.index.get(fold_name(place), set())
        if len(hits) != 1:
            found = sorted(h[0] for h in hits) or "no match"
            raise SystemExit(
                f"{where}: place {place!r} does not resolve to exactly one Syrian place "
                f"({found}); give lon/lat in the row"
            )
        _, x, y = next(iter(hits))
        return x, y


def read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(ZONES_DIR / name, dtype=str, keep_default_na=False, comment=None)


def load_tables(
    resolve: Resolver | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, object]:
    """The control points (lon/lat filled), periods, overrides and river line."""
    import shapely

    resolve = resolve or Resolver()
    points = read_csv("control_points.csv")
    xy = [
        resolve(r["place"], r["lon"], r["lat"], f"control_points.csv line {i + 2}")
        for i, r in enumerate(points.to_dict("records"))
    ]
    points["lon"] = [p[0] for p in xy]
    points["lat"] = [p[1] for p in xy]
    overrides = read_csv("overrides.csv")
    for i, r in enumerate(overrides.to_dict("records")):
        if r["kind"] == "circle":
            lon, lat = resolve(r["place"], r["lon"], r["lat"], f"overrides.csv line {i + 2}")
            overrides.loc[i, "lon"], overrides.loc[i, "lat"] = str(lon), str(lat)
    river_rows = read_csv("euphrates_line.csv").sort_values("seq", key=lambda s: s.astype(int))
    waypoints = []
    for r in river_rows.to_dict("records"):
        where = f"euphrates_line.csv seq {r['seq']}"
        if r["place_other_bank"]:
            a = resolve(r["place"], "", "", where)
            b = resolve(r["place_other_bank"], "", "", where)
            waypoints.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
        else:
            waypoints.append(resolve(r["place"], r["lon"], r["lat"], where))
    return points, read_csv("snapshots.csv"), overrides, shapely.LineString(waypoints)


def build(out: Path):  # type: ignore[no-untyped-def]
    points, periods, overrides, river = load_tables()
    golan = datasets.load("golan").geometry.union_all()
    zones = build_zones(points, periods, overrides, river=river, golan=golan)
    zones["valid_from"] = zones["valid_from"].dt.strftime("%Y-%m-%d")
    zones["valid_to"] = zones["valid_to"].dt.strftime("%Y-%m-%d").fillna("")
    zones.attrs = {}
    with atomic_path(out) as tmp:
        zones.to_parquet(tmp, compression="zstd", index=False)
    return zones


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=ZONES_DIR / "zones.parquet")
    args = parser.parse_args()
    zones = build(args.out)
    print(f"wrote {len(zones)} zones in {zones['snapshot'].nunique()} snapshots to {args.out}")


if __name__ == "__main__":
    main()
