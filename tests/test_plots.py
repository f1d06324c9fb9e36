"""Static figures: written to PNG/SVG with real content, no pyplot state left behind."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import box

from desertgeo import InputError
from desertgeo.plots import plot_distance_histogram, plot_events_by_controller, plot_events_map


def events(n: int = 60) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 150, n), unit="D"),
            "fatalities": pd.array(rng.integers(0, 20, n), dtype="Int64"),
            "event_type": rng.choice(["attack", "IED"], n),
            "controller": rng.choice(["Syrian government", "SDF", None], n),
        }
    )
    pts = gpd.points_from_xy(rng.uniform(37.5, 40.0, n), rng.uniform(34.0, 35.5, n))
    return gpd.GeoDataFrame(frame, geometry=pts, crs=4326)


def zones() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "controller": ["Syrian government", "SDF", "SDF"],
            "valid_from": pd.to_datetime(["2024-01-01", "2024-01-01", "2023-01-01"]),
            "valid_to": pd.to_datetime([None, None, "2024-01-01"]),
            "approximate": [True, True, True],
        },
        geometry=[box(36, 33, 39, 36), box(39, 34.5, 41.5, 37), box(30, 30, 31, 31)],
        crs=4326,
    )


def non_background_share(png: bytes) -> float:
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    white = (img > 245).all(axis=2)
    return float(1 - white.mean())


def test_events_map_png_and_svg(tmp_path: Path) -> None:
    n_figs = (
        len(matplotlib.pyplot.get_fignums()) if "matplotlib.pyplot" in matplotlib.sys.modules else 0
    )
    ev = events()
    ax = plot_events_map(ev, zones=zones(), date="2024-03-01")
    # one scatter with every event, sized by fatalities
    scatter = [c for c in ax.collections if len(c.get_offsets()) == len(ev)]
    assert len(scatter) == 1
    sizes = scatter[0].get_sizes()
    assert sizes.max() > sizes.min()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "SDF (approx.)" in labels
    assert "zones on 2024-03-01" in labels
    assert "attack" in labels
    assert "IED" in labels
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    ax.figure.savefig(png, dpi=80)
    ax.figure.savefig(svg)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert non_background_share(png.read_bytes()) > 0.3
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml")
    assert text.count("<path") > 50
    if "matplotlib.pyplot" in matplotlib.sys.modules:  # no pyplot figures were created
        assert len(matplotlib.pyplot.get_fignums()) == n_figs


def test_zones_drawn_only_for_the_date() -> None:
    before = plot_events_map(events(), zones=zones(), date="2023-06-01", borders=False)
    labels = [t.get_text() for t in before.get_legend().get_texts()]
    assert "SDF (approx.)" in labels
    assert "Syrian government (approx.)" not in labels


def test_distance_histogram_counts_and_missing(tmp_path: Path) -> None:
    d = pd.Series([1.0, 2.0, 2.5, 90.0, np.nan], name="dist_border_km")
    ax = plot_distance_histogram(d, bins=[0, 10, 100])
    assert [int(p.get_height()) for p in ax.patches] == [3, 1]
    assert ax.get_legend().get_texts()[0].get_text() == "dist_border_km (n=4, 1 missing)"
    assert any("median 2.2 km" in t.get_text() for t in ax.texts)
    ax.figure.savefig(tmp_path / "h.png", dpi=60)
    assert non_background_share((tmp_path / "h.png").read_bytes()) > 0.02
    with pytest.raises(InputError, match="negative"):
        plot_distance_histogram([-1.0, 3.0])
    with pytest.raises(InputError, match="no finite"):
        plot_distance_histogram([np.nan])


def test_events_by_controller_stacks_per_month(tmp_path: Path) -> None:
    ev = events()
    ax = plot_events_by_controller(ev, period="M")
    months = pd.to_datetime(ev["date"]).dt.to_period("M")
    n_months = months.max().ordinal - months.min().ordinal + 1
    n_ctrl = ev["controller"].astype("string").fillna("no zone").nunique()
    assert len(ax.patches) == n_months * n_ctrl
    assert int(sum(p.get_height() for p in ax.patches)) == len(ev)
    jan = int((months == pd.Period("2024-01", "M")).sum())
    assert (
        int(sum(p.get_height() for p in ax.patches if abs(p.get_x() + p.get_width() / 2) < 1e-9))
        == jan
    )
    ax.figure.savefig(tmp_path / "c.svg")
    assert (tmp_path / "c.svg").stat().st_size > 5000
    with pytest.raises(InputError, match="assign_zones"):
        plot_events_by_controller(ev.drop(columns="controller"))


def test_report_figures_writes_what_the_columns_allow(tmp_path: Path) -> None:
    from desertgeo.plots import report_figures

    ev = events()
    ev["dist_border_km"] = np.linspace(1.0, 200.0, len(ev))
    paths = report_figures(ev, zones=zones(), out_dir=tmp_path, formats=("png", "svg"), dpi=50)
    names = sorted(p.name for p in paths)
    assert names == [
        "distance_to_border_histogram.png",
        "distance_to_border_histogram.svg",
        "events_by_controller.png",
        "events_by_controller.svg",
        "events_map.png",
        "events_map.svg",
    ]
    for p in paths:
        assert p.stat().st_size > 2000
    assert non_background_share((tmp_path / "events_map.png").read_bytes()) > 0.3


def test_distance_histogram_takes_a_series_a_frame_or_a_column() -> None:
    frame = events(20)
    frame["dist_border_km"] = np.linspace(1.0, 120.0, 20)
    frame["notes"] = "text that is not a distance"
    by_series = plot_distance_histogram(frame["dist_border_km"], bins=6)
    by_frame = plot_distance_histogram(frame, bins=6)  # finds the dist_*_km column
    by_column = plot_distance_histogram(frame, column="dist_border_km", bins=6)
    heights = [[int(p.get_height()) for p in ax.patches] for ax in (by_series, by_frame, by_column)]
    assert heights[0] == heights[1] == heights[2]
    assert sum(heights[0]) == 20
    with pytest.raises(InputError, match="no distance column"):
        plot_distance_histogram(frame.drop(columns="dist_border_km"))
    with pytest.raises(InputError, match="holds no number"):
        plot_distance_histogram(frame, column="notes")


@pytest.mark.parametrize("crs", [4326, 3857])
def test_events_map_takes_any_point_frame(crs: int) -> None:
    frame = gpd.GeoDataFrame(
        {"Ort": ["a", "b", "c"]},
        geometry=gpd.points_from_xy([38.27, 38.88, 39.0], [34.55, 34.85, 35.3]),
        crs=4326,
    ).to_crs(crs)
    ax = plot_events_map(frame)
    (scatter,) = [c for c in ax.collections if len(c.get_offsets()) == 3]
    np.testing.assert_allclose(scatter.get_offsets()[:, 0], [38.27, 38.88, 39.0], atol=1e-6)
    ax = plot_events_map(frame, color_by="Ort")
    assert len({tuple(c) for c in scatter.get_facecolors()}) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]


def test_data_text_never_becomes_mathtext_and_synthetic_is_said(tmp_path: Path) -> None:
    import desertgeo

    demo = desertgeo.datasets.load("demo_events").head(50).copy()
    demo["event_type"] = ["$\\frac{1}{0", "cost $5 and $6"] * 25  # broken / accidental TeX
    ax = plot_events_map(demo, title="Attacks $x$ {{7*7}}")
    assert ax.get_title().startswith("SYNTHETIC data")
    assert "$x$ {{7*7}}" in ax.get_title()
    png = tmp_path / "m.png"
    from desertgeo.plots import save_figure

    save_figure(ax, png, dpi=60)  # drawing would raise on the broken TeX if parsed
    assert png.stat().st_size > 10_000
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "cost $5 and $6" in labels
    assert all(not t.get_parse_math() for t in ax.get_legend().get_texts())
    caption = [t.get_text() for t in ax.texts if "Natural Earth" in t.get_text()]
    assert caption
    assert "SYNTHETIC" in caption[0]


def test_figures_show_inline_without_pyplot() -> None:
    ax = plot_distance_histogram([1.0, 2.0, 3.0])
    png = ax._repr_png_()
    img = Image.open(io.BytesIO(png))
    assert img.size[0] > 300
    assert non_background_share(png) > 0.05
