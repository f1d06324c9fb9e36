"""Atomic file writes: the old file stays whole until the new one is complete.

Every file desertgeo writes (event tables, CLI outputs, maps, figures, gazetteer
extensions) goes through :func:`atomic_path` or :func:`atomic_write_text`: the content is
written to a temporary file in the target's own folder (so :func:`os.replace` is a rename
on the same file system), flushed to disk, then moved over the target. On any exception,
or when the process is killed, the target is untouched and the temporary file is removed
(a killed process can leave a hidden ``.<name>.<random><suffix>`` file behind, never a
truncated target).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from desertgeo._errors import InputError

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "check_output_dir"]


def check_output_dir(target: str | os.PathLike[str]) -> Path:
    """Check that ``target``'s folder exists and is writable; return ``target`` as a Path.

    Raises
    ------
    InputError
        When the folder is missing, is not a folder or cannot be written, with what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_dir(d / "out.csv").name
    'out.csv'
    >>> check_output_dir(d / "missing" / "out.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    desertgeo._errors.InputError: cannot write .../missing/out.csv: the folder ... does not exist...
    """
    path = Path(os.fspath(target)).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder; give a file name")
    if not folder.exists():
        raise InputError(
            f"cannot write {path}: the folder {folder} does not exist; "
            "create it first (mkdir -p) or choose another output path"
        )
    if not folder.is_dir():
        raise InputError(f"cannot write {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write {path}: the folder {folder} is not writable; "
            "choose another output path or fix its permissions"
        )
    return path


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it over ``target``.

    Write the whole file to the yielded path (with any library: pandas, pyogrio,
    matplotlib, ...). When the ``with`` block finishes without an exception, the file is
    flushed to disk and renamed over ``target`` with :func:`os.replace`; on an exception
    the temporary file is removed and ``target`` is left as it was.

    Parameters
    ----------
    target : str or os.PathLike
        The file to (re)place. Its folder must exist and be writable.
    suffix : str, optional
        Suffix of the temporary file (default: the target's, so libraries that pick a
        format or driver from the extension still do).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = out.write_text("old")
    >>> try:
    ...     with atomic_path(out) as tmp:
    ...         _ = tmp.write_text("half a fi")
    ...         raise RuntimeError("killed half-way")
    ... except RuntimeError:
    ...     pass
    >>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
    ('old', ['t.txt'])
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("new")
    >>> out.read_text()
    'new'
    """
    path = check_output_dir(target)
    folder = path.parent if str(path.parent) else Path(".")
    sfx = path.suffix if suffix is None else suffix
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f"{sfx}.tmp", dir=folder)
    except OSError as exc:  # read-only file system, permissions (also as root), quota
        raise InputError(
            f"cannot write {path}: {exc.strerror or exc} in the folder {folder}; "
            "choose another output path or fix the folder's permissions"
        ) from exc
    os.close(fd)
    tmp = Path(name)
    # Libraries that refuse to overwrite (or append to) an existing file get a fresh name.
    tmp.unlink()
    tmp_final = tmp.with_name(tmp.name[: -len(".tmp")]) if sfx else tmp
    try:
        yield tmp_final
        if not tmp_final.exists():
            raise OSError(f"nothing was written to the temporary file for {path}")
        with open(tmp_final, "rb+") as handle:
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # keep the target's permissions when replacing
            os.chmod(tmp_final, os.stat(path).st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp_final, path)
        _fsync_dir(folder)
    except BaseException:
        for leftover in (tmp_final, tmp):
            with contextlib.suppress(OSError):
                if leftover.is_dir():
                    continue
                leftover.unlink()
        raise


def _fsync_dir(folder: Path) -> None:
    """Flush the folder entry of a renamed file to disk (a no-op where unsupported)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically; return the target path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "b.bin"
    >>> atomic_write_bytes(out, b"abc").read_bytes()
    b'abc'
    """
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(os.fspath(target))


def atomic_write_text(
    target: str | os.PathLike[str], text: str, *, encoding: str = "utf-8"
) -> Path:
    """Write ``text`` to ``target`` atomically; return the target path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.html"
    >>> atomic_write_text(out, "<p>hi</p>").read_text()
    '<p>hi</p>'
    """
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(os.fspath(target))
