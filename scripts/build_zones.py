"""Build data/zones/zones.geojson from the reviewable tables in data/zones/.

Inputs (all in data/zones/, all plain CSV so one row can be corrected and rebuilt):

- ``snapshots.csv``: snapshot id, valid_from, valid_to (exclusive), label, source, notes;
- ``control_points.csv``: per snapshot (``;`` separates several), a place resolvable in
  desertgeo's ``places`` gazetteer (or lon/lat), its controller, confidence and source;
- ``euphrates_line.csv``: the Euphrates approximated by a polyline along riverside towns
  (midpoints of towns facing each other across the river, or a point next to one town);
- ``overrides.csv``: explicit geometries applied on top of the control-point cells, in
  row order (later rows win): the river line, the Golan, the Israeli buffer band and the
  55 km al-Tanf circle (geodesic, around the garrison point of the ``sites`` dataset).

Method: Voronoi cells of the control points in UTM 37N (EPSG:32637), clipped to Syria
(``countries``, ``golan="syria"``), dissolved by (controller, confidence); then each
override cuts its area out of every zone below it and adds itself. Output in EPSG:4326.

Run: ``.venv/bin/python scripts/build_zones.py`` (needs the shipped boundaries, places and
sites; no network).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from desertgeo import datasets
from desertgeo.names import fold_name

ZONES_DIR = Path(__file__).resolve().parents[1] / "data" / "zones"
UTM = 32637
GEOD = pyproj.Geod(ellps="WGS84")
TO_UTM = pyproj.Transformer.from_crs(4326, UTM, always_xy=True)
TO_WGS = pyproj.Transformer.from_crs(UTM, 4326, always_xy=True)


def slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")


def to_utm(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, TO_UTM.transform, interleaved=False)


def to_wgs(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, TO_WGS.transform, interleaved=False)


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

    def __call__(self, place: str, lon: object, lat: object, where: str) -> tuple[float, float]:
        if pd.notna(lon) and pd.notna(lat) and str(lon) != "" and str(lat) != "":
            return float(str(lon)), float(str(lat))
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
    return pd.read_csv(ZONES_DIR / name, dtype=str, keep_default_na=False)


def expand_snapshots(frame: pd.DataFrame, all_ids: list[str]) -> pd.DataFrame:
    rows = []
    for rec in frame.to_dict("records"):
        ids = all_ids if rec["snapshot"].strip() == "*" else rec["snapshot"].split(";")
        for sid in ids:
            sid = sid.strip()
            if sid not in all_ids:
                raise SystemExit(f"unknown snapshot {sid!r} in row {rec}")
            rows.append({**rec, "snapshot": sid})
    return pd.DataFrame(rows)


def tanf_point() -> tuple[float, float, str]:
    sites = datasets.load("sites")
    ids = sites["site_id"].astype(str)
    hit = sites[ids.str.contains("tanf") & ids.str.contains("garrison|base", regex=True)]
    if len(hit) != 1:
        raise SystemExit(f"cannot find one al-Tanf garrison in sites: {list(ids)}")
    row = hit.iloc[0]
    return float(row.geometry.x), float(row.geometry.y), f"{row['site_id']} ({row['source']})"


def geodesic_circle(lon: float, lat: float, radius_m: float, n: int = 1440) -> shapely.Polygon:
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    return shapely.Polygon(np.column_stack([x, y]))


def build(out: Path) -> gpd.GeoDataFrame:
    resolve = Resolver()
    snaps = read_csv("snapshots.csv")
    snap_ids = list(snaps["snapshot"])
    points = expand_snapshots(read_csv("control_points.csv"), snap_ids)
    overrides = read_csv("overrides.csv")
    overrides = expand_snapshots(overrides, snap_ids)
    syria = datasets.load("countries", golan="syria").set_index("country").loc["SY"].geometry
    syria_u = shapely.make_valid(to_utm(syria))
    golan_u = to_utm(datasets.load("golan").geometry.union_all())

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
    river = shapely.LineString(waypoints)
    river_u = to_utm(river)
    tlon, tlat, tanf_src = tanf_point()

    records = []
    for snap in snaps.to_dict("records"):
        sid = snap["snapshot"]
        pts = points[points["snapshot"] == sid].reset_index(drop=True)
        xy = np.array(
            [
                TO_UTM.transform(
                    *resolve(
                        r["place"], r["lon"], r["lat"], f"control_points.csv {sid}/{r['place']}"
                    )
                )
                for r in pts.to_dict("records")
            ]
        )
        seeds = shapely.multipoints(xy)
        env = shapely.box(*syria_u.buffer(200_000).bounds)
        cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=env, ordered=True))
        if len(cells) != len(pts):
            raise SystemExit(f"{sid}: duplicate control points (cells {len(cells)} != {len(pts)})")
        pts["cell"] = shapely.intersection(cells, syria_u)
        layers: list[dict[str, object]] = []
        for (controller, confidence), grp in pts.groupby(["controller", "confidence"], sort=True):
            places = ", ".join(grp["place"])
            layers.append(
                {
                    "zone_id": f"{sid}/{slug(controller)}/{confidence}",
                    "controller": controller,
                    "confidence": confidence,
                    "geometry": shapely.union_all(grp["cell"].to_numpy()),
                    "source": snap["source"],
                    "notes": (
                        "Voronoi cells of control points (data/zones/control_points.csv): "
                        + places
                        + (
                            ". Badia: nominal control only, ISIS cells active"
                            if confidence == "low" and "Badia" in places
                            else ""
                        )
                    ),
                }
            )
        for ov in overrides[overrides["snapshot"] == sid].to_dict("records"):
            kind = ov["kind"]
            pieces: list[tuple[str, shapely.Geometry]] = []
            if kind == "river_line":
                width = float(ov["parameter"]) * 1000
                left = river_u.buffer(width, single_sided=True)
                right = river_u.buffer(-width, single_sided=True).difference(left)
                pieces = [(ov["controller"], left), (ov["controller_right"], right)]
            elif kind == "dataset_polygon":
                pieces = [(ov["controller"], golan_u)]
            elif kind == "golan_buffer":
                band = golan_u.buffer(float(ov["parameter"]) * 1000).difference(golan_u)
                pieces = [(ov["controller"], band)]
            elif kind == "geodesic_circle":
                circle = geodesic_circle(tlon, tlat, float(ov["parameter"]) * 1000)
                pieces = [(ov["controller"], to_utm(circle))]
            else:
                raise SystemExit(f"overrides.csv: unknown kind {kind!r}")
            for controller, geom in pieces:
                geom = shapely.intersection(geom, syria_u)
                for layer in layers:
                    layer["geometry"] = shapely.difference(layer["geometry"], geom)
                note = ov["notes"]
                if kind == "geodesic_circle":
                    note = (
                        f"{note}; garrison point {tlon:.5f} E {tlat:.5f} N from sites: {tanf_src}"
                    )
                layers.append(
                    {
                        "zone_id": f"{sid}/{ov['override_id']}/{slug(controller)}",
                        "controller": controller,
                        "confidence": ov["confidence"],
                        "geometry": geom,
                        "source": ov["source"],
                        "notes": note,
                    }
                )
        for layer in layers:
            geom = shapely.make_valid(layer["geometry"])
            polys = [
                g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area > 1e4
            ]
            if not polys:
                continue
            wgs = shapely.make_valid(to_wgs(shapely.MultiPolygon(polys)))
            records.append(
                {
                    "zone_id": layer["zone_id"],
                    "snapshot": sid,
                    "controller": layer["controller"],
                    "valid_from": snap["valid_from"],
                    "valid_to": snap["valid_to"],
                    "confidence": layer["confidence"],
                    "approximate": True,
                    "source": layer["source"],
                    "notes": layer["notes"],
                    "geometry": wgs,
                }
            )
    zones = gpd.GeoDataFrame(records, geometry="geometry", crs=4326)
    zones["geometry"] = shapely.set_precision(zones.geometry.array, 1e-7)
    zones["geometry"] = shapely.make_valid(zones.geometry.array)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    zones.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=7)
    return zones


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=ZONES_DIR / "zones.geojson")
    args = parser.parse_args()
    zones = build(args.out)
    summary = zones.assign(area_km2=zones.to_crs(UTM).area / 1e6)
    print(summary[["zone_id", "controller", "confidence", "area_km2"]].to_string())
    print(f"wrote {len(zones)} zones to {args.out}")


if __name__ == "__main__":
    main()
