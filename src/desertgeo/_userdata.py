"""The user's gazetteer extensions: where they live and how a GeoNames dump gets there.

desertgeo never goes online by itself. ``desertgeo gazetteer fetch SY`` (or
:func:`fetch_geonames`) is the one explicit step that downloads a GeoNames country
dump (CC BY 4.0) into the user's extension folder; ``desertgeo gazetteer add FILE.csv``
copies a CSV of the user's own places there. :meth:`desertgeo.gazetteer.Gazetteer.default`
then adds every file of that folder to the shipped gazetteer, in every later process.

The folder is ``$DESERTGEO_HOME/gazetteer`` when ``DESERTGEO_HOME`` is set, else
``$XDG_DATA_HOME/desertgeo/gazetteer`` (default ``~/.local/share/desertgeo/gazetteer``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from desertgeo._errors import DataError, InputError

__all__ = ["GEONAMES_DUMP_URL", "add_csv", "extension_files", "extensions_dir", "fetch_geonames"]

#: GeoNames' per-country dump; ``{country}`` is the ISO 3166-1 alpha-2 code.
GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/{country}.zip"


def extensions_dir() -> Path:
    """The folder whose files extend the default gazetteer (it may not exist yet).

    Examples
    --------
    >>> from desertgeo._userdata import extensions_dir
    >>> extensions_dir().name
    'gazetteer'
    """
    home = os.environ.get("DESERTGEO_HOME")
    if home:
        return Path(home).expanduser() / "gazetteer"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "desertgeo" / "gazetteer"


def extension_files(directory: Path | None = None) -> list[Path]:
    """GeoNames dumps (``*.zip``, ``*.txt``) and CSVs in the extension folder, sorted by name."""
    folder = extensions_dir() if directory is None else Path(directory)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in {".zip", ".txt", ".csv"})


def _check_country(country: str) -> str:
    code = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise InputError(
            f"country {country!r} is not an ISO 3166-1 alpha-2 code; use e.g. 'SY', 'IQ', 'JO'"
        )
    return code


def fetch_geonames(
    country: str = "SY",
    *,
    url: str | None = None,
    directory: Path | None = None,
    timeout: float = 120.0,
) -> tuple[Path, int]:
    """Download a GeoNames country dump into the extension folder and check it.

    The file is downloaded to a temporary name, parsed completely (a broken or non-GeoNames
    file raises :class:`~desertgeo.DataError` and leaves nothing behind), then moved to
    ``<folder>/<COUNTRY>.zip``, replacing an earlier download.

    Parameters
    ----------
    country : str
        ISO 3166-1 alpha-2 code of the dump (``"SY"``: about 10k names more than the
        shipped cities500 extract, villages and desert features included).
    url : str, optional
        Where to download from; default :data:`GEONAMES_DUMP_URL` for ``country``.
        ``file://`` URLs work for a dump you already have.
    directory : Path, optional
        The extension folder (default :func:`extensions_dir`).
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    (Path, int)
        The stored dump and its number of places (of the kept feature classes).
    """
    from desertgeo.gazetteer import Gazetteer

    code = _check_country(country)
    source = url or GEONAMES_DUMP_URL.format(country=code)
    if not source.startswith(("http://", "https://", "file://")):
        raise InputError(f"url {source!r} must start with http://, https:// or file://")
    folder = extensions_dir() if directory is None else Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{code}.zip"
    # download beside the target under the same file name (GeoNames zips also hold a
    # readme.txt: the reader picks <stem>.txt), check it, then move it into place
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=folder) as tmpdir:
        tmp = Path(tmpdir) / target.name
        try:
            with urllib.request.urlopen(source, timeout=timeout) as resp, tmp.open("wb") as out:  # noqa: S310
                shutil.copyfileobj(resp, out)
        except (urllib.error.URLError, OSError) as exc:
            raise DataError(
                f"could not download {source}: {exc}; check the address and your connection, "
                "or download the file yourself and pass --url file:///path/to/the.zip"
            ) from exc
        if not zipfile.is_zipfile(tmp):
            raise DataError(f"{source} is not a zip file; expected a GeoNames dump like {code}.zip")
        with zipfile.ZipFile(tmp) as zf:
            if f"{code}.txt" not in zf.namelist():
                raise DataError(
                    f"{source}: the zip holds {zf.namelist()}, not {code}.txt; "
                    "is it a GeoNames country dump?"
                )
            if zf.testzip() is not None:
                raise DataError(f"{source}: corrupt zip file (a member fails its CRC check)")
        n_places = len(Gazetteer.from_geonames(tmp))
        if n_places == 0:
            raise DataError(f"{source}: the dump has no places of the kept feature classes")
        tmp.replace(target)
    return target, n_places


def add_csv(path: str | Path, *, directory: Path | None = None) -> tuple[Path, int]:
    """Copy a CSV of the user's own places into the extension folder after checking it.

    Returns the stored file and its number of places.

    The CSV needs ``name`` and ``lon``/``lat`` (or ``longitude``/``latitude``) columns and
    may have ``aliases`` ("|"-separated), ``country``, ``feature_type``, ``population``,
    ``uncertainty_m``, ``source``; see :meth:`desertgeo.gazetteer.Gazetteer.from_csv`.
    """
    from desertgeo.gazetteer import Gazetteer

    src = Path(path)
    if not src.is_file():
        raise InputError(f"{src}: no such file")
    n_places = len(Gazetteer.from_csv(src))  # raises DataError naming the row and column
    folder = extensions_dir() if directory is None else Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / src.name
    shutil.copyfile(src, target)
    return target, n_places
