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

import contextlib
import csv
import io
import math
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from urllib.request import url2pathname

from desertgeo._atomic import atomic_path
from desertgeo._errors import DataError, InputError

__all__ = [
    "GEONAMES_DUMP_URL",
    "MAX_CSV_BYTES",
    "MAX_DOWNLOAD_BYTES",
    "MAX_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "Stored",
    "add_csv",
    "extension_files",
    "extensions_dir",
    "fetch_geonames",
    "remove_extension",
]

#: GeoNames' per-country dump; ``{country}`` is the ISO 3166-1 alpha-2 code.
GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/{country}.zip"

#: largest download :func:`fetch_geonames` accepts (GeoNames' SY.zip is about 1 MB,
#: TR.zip about 4 MB)
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
#: largest uncompressed GeoNames ``.txt`` member accepted
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
#: largest uncompressed / compressed size ratio of that member (text deflates 3-6x;
#: a zip bomb reaches 1000x)
MAX_RATIO = 100.0
#: largest CSV :func:`add_csv` accepts
MAX_CSV_BYTES = 100 * 1024 * 1024

_CHUNK = 64 * 1024
_EXTENSION_SUFFIXES = {".zip", ".txt", ".csv"}
_MAX_LISTED_PROBLEMS = 10


class Stored(NamedTuple):
    """What :func:`add_csv` stored: the file, its place count, rows outside the study area."""

    path: Path
    places: int
    outside_study_area: tuple[int, ...] = ()


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
    """GeoNames dumps (``*.zip``, ``*.txt``) and CSVs in the extension folder, sorted by name.

    Hidden files (``.name``: temporary files of an interrupted download or write) are
    never extensions.
    """
    folder = extensions_dir() if directory is None else Path(directory)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        # hidden names are temporary files of an interrupted write or download
        if p.suffix.lower() in _EXTENSION_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


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
    timeout: float = 300.0,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: float = MAX_RATIO,
) -> tuple[Path, int]:
    """Download a GeoNames country dump into the extension folder and check it.

    The download is streamed to a temporary folder beside the target, checked, then
    moved to ``<folder>/<COUNTRY>.zip`` (replacing an earlier download of the same
    country). It is refused, and nothing is left behind, when:

    - the whole operation takes longer than ``timeout`` seconds (a total deadline, not a
      per-read timeout: a server that trickles bytes is cut off too);
    - the body is larger than ``max_bytes``;
    - the file is not a zip holding ``<COUNTRY>.txt``, or that member is larger than
      ``max_uncompressed`` bytes or more than ``max_ratio`` times its compressed size
      (a zip bomb) -- it is decompressed in chunks, never read whole, to check this and
      its CRC;
    - the dump does not parse as a GeoNames dump (:class:`~desertgeo.DataError`).

    Temporary files are removed on every failure, on Ctrl-C and (through the
    ``desertgeo`` command) on SIGTERM. A folder left by a process killed with SIGKILL
    is removed by the next fetch.

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
        Total deadline in seconds for the download and its checks (default 300).
    max_bytes, max_uncompressed, max_ratio
        Caps on the download size, the uncompressed size of the dump and its
        compression ratio (defaults :data:`MAX_DOWNLOAD_BYTES`,
        :data:`MAX_UNCOMPRESSED_BYTES`, :data:`MAX_RATIO`).

    Returns
    -------
    (Path, int)
        The stored dump and its number of places (of the kept feature classes).

    Raises
    ------
    InputError
        A bad country code, URL scheme or cap.
    DataError
        The download failed, hit a cap or the deadline, or is not a GeoNames dump.
    """
    code = _check_country(country)
    source = url or GEONAMES_DUMP_URL.format(country=code)
    if not source.startswith(("http://", "https://", "file://")):
        raise InputError(f"url {source!r} must start with http://, https:// or file://")
    if not (timeout > 0 and max_bytes > 0 and max_uncompressed > 0 and max_ratio > 0):
        raise InputError("timeout and the size caps must be positive numbers")
    deadline = time.monotonic() + timeout
    folder = extensions_dir() if directory is None else Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_downloads(folder)
    target = folder / f"{code}.zip"
    # download beside the target under the same file name (GeoNames zips also hold a
    # readme.txt: the reader picks <stem>.txt), check it, then move it into place
    tmpdir = Path(tempfile.mkdtemp(prefix=f".fetch-{os.getpid()}-", dir=folder))
    try:
        tmp = tmpdir / target.name
        _download(source, tmp, deadline=deadline, timeout=timeout, max_bytes=max_bytes)
        _check_dump_zip(
            tmp,
            f"{code}.txt",
            source=source,
            deadline=deadline,
            timeout=timeout,
            max_uncompressed=max_uncompressed,
            max_ratio=max_ratio,
        )
        from desertgeo._gaz_sources import read_places_file  # once the file passed the caps

        n_places = len(read_places_file(tmp, kind="geonames"))
        if n_places == 0:
            raise DataError(f"{source}: the dump has no places of the kept feature classes")
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return target, n_places


def _remove_stale_downloads(folder: Path) -> None:
    """Remove ``.fetch-<pid>-*`` folders whose process is gone (killed with SIGKILL)."""
    for entry in folder.glob(".fetch-*"):
        match = re.fullmatch(r"\.fetch-(\d+)-.*", entry.name)
        if not entry.is_dir() or match is None:
            continue
        pid = int(match.group(1))
        if pid != os.getpid() and _pid_alive(pid):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _opener() -> urllib.request.OpenerDirector:
    """http(s) only: no ftp:// or file:// behind a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _set_read_timeout(resp: Any, seconds: float) -> None:
    """Shorten the socket timeout of an HTTP response to what is left of the deadline."""
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(seconds, 0.01))


def _deadline_error(source: str, timeout: float) -> DataError:
    return DataError(
        f"{source}: not finished within the {timeout:g} s deadline; try again later, "
        "raise --timeout, or download the file yourself and pass --url file:///path/to/it.zip"
    )


def _download(source: str, tmp: Path, *, deadline: float, timeout: float, max_bytes: int) -> None:
    """Stream ``source`` to ``tmp`` under a total deadline and a size cap."""
    too_big = DataError(
        f"{source}: the download is larger than {max_bytes:,} bytes; refused "
        "(a GeoNames country dump is a few MB); check the address"
    )
    try:
        if source.startswith("file://"):
            local = Path(url2pathname(urlsplit(source).path))
            if local.stat().st_size > max_bytes:
                raise too_big
            ctx: Any = open(local, "rb")  # noqa: SIM115 -- closed by the with below
        else:
            ctx = _opener().open(source, timeout=min(timeout, 30.0))
        with ctx as resp, tmp.open("wb") as out:
            length = getattr(resp, "headers", {}).get("Content-Length")
            if length is not None and length.isdigit() and int(length) > max_bytes:
                raise too_big
            written = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _deadline_error(source, timeout)
                _set_read_timeout(resp, min(left, 30.0))
                chunk = resp.read1(_CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                if written > max_bytes:
                    raise too_big
                out.write(chunk)
    except DataError:
        raise
    except TimeoutError as exc:
        if time.monotonic() >= deadline - 0.05:
            raise _deadline_error(source, timeout) from exc
        raise _download_error(source, exc) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise _download_error(source, exc) from exc


def _download_error(source: str, exc: BaseException) -> DataError:
    return DataError(
        f"could not download {source}: {exc}; check the address and your connection, "
        "or download the file yourself and pass --url file:///path/to/the.zip"
    )


def _check_dump_zip(
    tmp: Path,
    member: str,
    *,
    source: str,
    deadline: float,
    timeout: float,
    max_uncompressed: int,
    max_ratio: float,
) -> None:
    """Check the zip and stream its ``member`` (caps on size, ratio, time; CRC)."""
    if not zipfile.is_zipfile(tmp):
        raise DataError(
            f"{source} is not a zip file; expected a GeoNames dump like {member[:2]}.zip"
        )
    try:
        with zipfile.ZipFile(tmp) as zf:
            names = zf.namelist()
            if member not in names:
                shown = names[:10] + (["..."] if len(names) > 10 else [])
                raise DataError(
                    f"{source}: the zip holds {shown}, not {member}; is it a GeoNames country dump?"
                )
            info = zf.getinfo(member)
            compressed = max(min(info.compress_size, tmp.stat().st_size), 1)
            bomb = DataError(
                f"{source}: {member} would unpack past the caps ({max_uncompressed:,} bytes, "
                f"{max_ratio:g} times its compressed size of {compressed:,} bytes): refused as "
                "a possible zip bomb; check the address"
            )
            if info.file_size > max_uncompressed or info.file_size / compressed > max_ratio:
                raise bomb
            total = 0
            with zf.open(info) as stream:  # decompressed in chunks, never whole
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > max_uncompressed or total / compressed > max_ratio:
                        raise bomb
                    if time.monotonic() > deadline:
                        raise _deadline_error(source, timeout)
    except zipfile.BadZipFile as exc:  # includes CRC mismatches
        raise DataError(f"{source}: corrupt zip file ({exc})") from exc
    except (NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        # unsupported compression, an encrypted member, a truncated stream
        raise DataError(f"{source}: cannot unpack {member} ({exc})") from exc


def remove_extension(name: str, *, directory: Path | None = None) -> Path:
    """Remove the extension file ``name`` (as listed by :func:`extension_files`).

    Raises
    ------
    InputError
        When there is no such extension (the message lists the ones there are).
    """
    folder = extensions_dir() if directory is None else Path(directory)
    files = {p.name: p for p in extension_files(folder)}
    key = Path(name).name
    if key not in files:
        listed = ", ".join(sorted(files)) or "none"
        raise InputError(f"no gazetteer extension named {key!r} in {folder}; there are: {listed}")
    files[key].unlink()
    return files[key]


def add_csv(path: str | Path, *, directory: Path | None = None, replace: bool = False) -> Stored:
    """Check a CSV of the user's own places completely, then store it in the extension folder.

    The CSV needs ``name`` and ``lon``/``lat`` (or ``longitude``/``latitude``) columns and
    may have ``aliases`` ("|"-separated), ``country``, ``feature_type``, ``population``,
    ``uncertainty_m``, ``source``; see :meth:`desertgeo.gazetteer.Gazetteer.from_csv`.

    Every row is checked before anything is stored (UTF-8 text, a header with the
    required columns, the same number of fields on every line, a name, coordinates that
    are finite decimal degrees in range, unique ``place_id``); a
    :class:`~desertgeo.DataError` lists the problems with their line numbers (the header
    is line 1). Points outside the study area (:data:`desertgeo.events.STUDY_AREA`) are
    kept and reported in :attr:`Stored.outside_study_area`. The file is stored
    atomically, as the exact bytes that were checked.

    Parameters
    ----------
    path : str or Path
        The CSV file (its name, ending in ``.csv``, becomes the extension's name).
    directory : Path, optional
        The extension folder (default :func:`extensions_dir`).
    replace : bool, default False
        Replace an existing extension of the same file name; by default that is refused.

    Returns
    -------
    Stored
        The stored file, its number of places and the line numbers of places outside
        the study area.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "wells.csv").write_text("name,lon,lat\\nBir Fixture,38.6,34.6\\nFar,2.3,48.8\\n")
    >>> stored = add_csv(d / "wells.csv", directory=d / "ext")
    >>> stored.places, stored.outside_study_area
    (2, (3,))
    >>> add_csv(d / "wells.csv", directory=d / "ext")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    desertgeo._errors.InputError: a gazetteer extension named 'wells.csv' already exists ...
    """
    from desertgeo._gaz_sources import read_places_file

    src = Path(path)
    if not src.is_file():
        raise InputError(f"{src}: no such file; check the path")
    if src.suffix.lower() != ".csv" or src.name.startswith("."):
        raise InputError(
            f"{src}: give a CSV file whose name ends in .csv and does not start with '.'"
        )
    size = src.stat().st_size
    if size > MAX_CSV_BYTES:
        raise DataError(f"{src}: {size:,} bytes is larger than {MAX_CSV_BYTES:,}; split the file")
    data = src.read_bytes()
    outside = _check_places_csv(data, str(src))
    folder = extensions_dir() if directory is None else Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / src.name
    if target.exists() and not replace:
        raise InputError(
            f"a gazetteer extension named {src.name!r} already exists in {folder}; "
            "pass --replace (replace=True) to replace it, or rename your file"
        )
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
        # the very bytes that will be stored go through the reader geocode() uses
        n_places = len(read_places_file(tmp, kind="csv"))
    return Stored(target, n_places, outside)


def _check_places_csv(data: bytes, where: str) -> tuple[int, ...]:
    """Check every row of a places CSV; return the lines outside the study area."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{where}: not UTF-8 text (line {line}, byte {exc.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise DataError(f"{where}: holds NUL bytes; is it a CSV text file?")
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(f"{where}: not a readable CSV ({exc})") from None
    if not lines or not any(field.strip() for field in lines[0]):
        raise DataError(f"{where}: empty file; expected a header row such as name,lon,lat")
    header = [h.strip() for h in lines[0]]
    cols = {h.lower(): i for i, h in enumerate(header)}
    lon_i = cols.get("lon", cols.get("longitude"))
    lat_i = cols.get("lat", cols.get("latitude"))
    name_i = cols.get("name")
    if name_i is None or lon_i is None or lat_i is None:
        raise DataError(
            f"{where}: line 1: the header needs the columns 'name' and 'lon'/'lat' (or "
            f"'longitude'/'latitude'); found {header}"
        )
    if len(cols) != len(header):
        raise DataError(f"{where}: line 1: repeated column names in {header}")
    problems: list[str] = []
    outside: list[int] = []
    ids: dict[str, int] = {}
    pid_i = cols.get("place_id")
    n_rows = 0
    for lineno, fields in _numbered(lines):
        n_rows += 1
        if len(fields) != len(header):
            problems.append(f"line {lineno}: {len(fields)} fields, the header has {len(header)}")
            continue
        row_problems, is_outside = _check_row(lineno, fields, header, name_i, lon_i, lat_i)
        problems += row_problems
        if is_outside:
            outside.append(lineno)
        if pid_i is not None and (pid := fields[pid_i].strip()):
            if pid in ids:
                problems.append(f"line {lineno}: place_id {pid!r} repeats line {ids[pid]}")
            ids.setdefault(pid, lineno)
    if n_rows == 0:
        raise DataError(f"{where}: no places below the header")
    if problems:
        shown = problems[:_MAX_LISTED_PROBLEMS]
        more = len(problems) - len(shown)
        raise DataError(
            f"{where}: {len(problems)} problem(s), nothing stored: "
            + "; ".join(shown)
            + (f"; and {more} more" if more else "")
            + "; fix the file and add it again"
        )
    return tuple(outside)


def _check_row(
    lineno: int, fields: list[str], header: list[str], name_i: int, lon_i: int, lat_i: int
) -> tuple[list[str], bool]:
    """(problems of one row, whether its point lies outside the study area box)."""
    from desertgeo._schema import STUDY_AREA

    problems = []
    name = fields[name_i].strip()
    if not name:
        problems.append(f"line {lineno}: empty 'name'")
    lon, lat = _degrees(fields[lon_i]), _degrees(fields[lat_i])
    if lon is None or not -180 <= lon <= 180:
        problems.append(
            f"line {lineno} ({name!r}): {header[lon_i]} {fields[lon_i]!r} is "
            "not a longitude in decimal degrees (-180..180)"
        )
    if lat is None or not -90 <= lat <= 90:
        problems.append(
            f"line {lineno} ({name!r}): {header[lat_i]} {fields[lat_i]!r} is "
            "not a latitude in decimal degrees (-90..90)"
        )
    west, south, east, north = STUDY_AREA
    outside = (
        lon is not None and lat is not None and not (west <= lon <= east and south <= lat <= north)
    )
    return problems, outside


def _numbered(lines: list[list[str]]) -> Any:
    """(line number, fields) of the data rows, skipping blank lines; header is line 1.

    The numbers count CSV records, as a spreadsheet numbers its rows (a quoted field
    with a line break in it counts once).
    """
    for offset, fields in enumerate(lines[1:], start=2):
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        yield offset, fields


def _degrees(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None
