"""Fetch the pinned JS/CSS registry packages used by offline maps into src/desertgeo/_assets/.

Usage::

    python scripts/fetch_assets.py            # fetch what is missing, verify everything
    python scripts/fetch_assets.py --force    # fetch again
    python scripts/fetch_assets.py --check    # only verify; exit 1 when something is missing

Each package is downloaded with the npm client (``npm pack NAME@VERSION``; npm's own cache
makes repeat runs work offline). When ``npm`` is not installed, the tarball is read from the
npm registry's tarball URL. Either way the tarball's sha512 must equal the integrity pinned
in ``src/desertgeo/_jsassets.py`` before anything is extracted. Nothing fetched here is
committed: ``src/desertgeo/_assets/`` is gitignored; wheels carry it (hatch build hook).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _load_pins() -> ModuleType:
    """Import src/desertgeo/_jsassets.py by path (works without installing desertgeo)."""
    path = ROOT / "src" / "desertgeo" / "_jsassets.py"
    spec = importlib.util.spec_from_file_location("_desertgeo_jsassets", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def _write_atomic(path: Path, data: bytes) -> None:
    """Write beside ``path`` under a temporary name, then rename over it (standard library
    only, like desertgeo._atomic: this script must run before desertgeo is importable)."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _download(pkg: object, workdir: Path) -> bytes:
    name, version = pkg.name, pkg.version  # type: ignore[attr-defined]
    npm = shutil.which("npm")
    if npm is not None:
        out = subprocess.run(
            [
                npm,
                "pack",
                f"{name}@{version}",
                "--json",
                "--prefer-offline",
                "--pack-destination",
                str(workdir),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        filename = json.loads(out.stdout)[0]["filename"]
        return (workdir / filename).read_bytes()
    url = pkg.tarball_url  # type: ignore[attr-defined]
    if not url.startswith("https://registry.npmjs.org/"):
        raise SystemExit(f"refusing to download from {url}")
    with urllib.request.urlopen(url, timeout=60) as resp:
        return bytes(resp.read())


def _verify(data: bytes, integrity: str, label: str) -> None:
    algo, _, expected = integrity.partition("-")
    if algo != "sha512":
        raise SystemExit(f"{label}: unsupported integrity {integrity!r}")
    got = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != expected:
        raise SystemExit(f"{label}: sha512 mismatch (pinned {expected}, got {got}); not extracting")


def fetch(directory: Path | None = None, *, force: bool = False, quiet: bool = False) -> Path:
    """Fetch, verify and extract every pinned package; return the assets directory."""
    pins = _load_pins()
    directory = Path(directory) if directory is not None else pins.ASSETS_DIR
    if not force and not pins.assets_status(directory):
        if not quiet:
            print(f"assets up to date in {directory}")
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, object] = {
        "fetched": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "note": "Third-party files from the npm registry; licences in each folder. Not committed.",
        "packages": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        for pkg in pins.PACKAGES:
            label = f"{pkg.name}@{pkg.version}"
            data = _download(pkg, Path(tmp))
            _verify(data, pkg.integrity, label)
            target = directory / pkg.dirname
            if target.exists():
                shutil.rmtree(target)
            sums = {}
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                for rel in pkg.files:
                    member = tar.getmember(f"package/{rel}")
                    fobj = tar.extractfile(member)
                    if fobj is None:
                        raise SystemExit(f"{label}: {rel} is not a regular file")
                    content = fobj.read()
                    _write_atomic(target / rel, content)
                    sums[rel] = hashlib.sha256(content).hexdigest()
            manifest["packages"][pkg.name] = {  # type: ignore[index]
                "version": pkg.version,
                "integrity": pkg.integrity,
                "license": pkg.license,
                "source": f"npm registry, {label}",
                "sha256": sums,
            }
            if not quiet:
                print(f"fetched {label} (sha512 verified): {len(sums)} files -> {target}")
    _write_atomic(directory / pins.MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    problems = pins.assets_status(directory)
    if problems:
        raise SystemExit("assets still incomplete: " + "; ".join(problems))
    return directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=None, help="default: src/desertgeo/_assets")
    parser.add_argument("--force", action="store_true", help="download again")
    parser.add_argument("--check", action="store_true", help="only verify what is there")
    args = parser.parse_args(argv)
    if args.check:
        pins = _load_pins()
        problems = pins.assets_status(args.dest or pins.ASSETS_DIR)
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    fetch(args.dest, force=args.force)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
