"""A set of vector indexes built together, saved with a manifest, swapped in atomically.

Layout under the index root::

    CURRENT                      # name of the live build folder (replaced atomically)
    build-20261128T140102-1a2b/  # one complete build: manifest.json + <name>.faiss/.rows.json
    .tmp-.../                    # a build in progress (removed if the build dies)

A build is written into a temporary folder, fsynced, renamed, and only then does ``CURRENT``
point at it, so a crash at any moment leaves the previous build live and intact. Loading
checks the manifest (format, model, data fingerprint) and every file's sha256.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from matcher.errors import IndexUnavailableError
from matcher.indexes.vector_index import VectorIndex

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
KEEP_BUILDS = 2


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


@dataclass
class Manifest:
    model: str
    dim: int
    data_fingerprint: str
    data_versions: dict[str, str]
    built_at: str
    build_seconds: float
    indexes: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    format: int = FORMAT_VERSION
    matcher_version: str = ""

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class IndexSet:
    """Loaded indexes of one build, by name."""

    def __init__(self, folder: Path, manifest: Manifest, indexes: dict[str, VectorIndex]) -> None:
        self.folder = folder
        self.manifest = manifest
        self.indexes = indexes

    def __getitem__(self, name: str) -> VectorIndex:
        try:
            return self.indexes[name]
        except KeyError:
            raise IndexUnavailableError(
                f"index {name!r} is not in the build at {self.folder}; run `matcher build --force`"
            ) from None

    def __contains__(self, name: str) -> bool:
        return name in self.indexes

    @property
    def versions(self) -> dict[str, Any]:
        """Model and data versions of this build, for every result users see."""
        m = self.manifest
        return {
            "model": m.model,
            "data": m.data_versions,
            "data_fingerprint": m.data_fingerprint,
            "built_at": m.built_at,
        }


class IndexStore:
    """The index root folder: find, verify, load, and atomically publish builds."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    def current_folder(self) -> Path | None:
        if not self.current_file.is_file():
            return None
        name = self.current_file.read_text().strip()
        folder = self.root / name
        return folder if name and folder.is_dir() else None

    def current_manifest(self) -> Manifest | None:
        folder = self.current_folder()
        if folder is None or not (folder / "manifest.json").is_file():
            return None
        try:
            return Manifest.from_json((folder / "manifest.json").read_text())
        except (ValueError, TypeError):
            return None

    def mismatch(self, manifest: Manifest, *, model: str, data_fingerprint: str) -> str | None:
        """Why a build cannot be used with this model and data, or ``None`` when it can."""
        if manifest.format != FORMAT_VERSION:
            return f"index format {manifest.format} (this matcher reads format {FORMAT_VERSION})"
        if manifest.model != model:
            return f"it was built with model {manifest.model}, but the current model is {model}"
        if manifest.data_fingerprint != data_fingerprint:
            return (
                f"it was built from data {manifest.data_fingerprint} "
                f"({', '.join(f'{k} {v}' for k, v in manifest.data_versions.items())}), but the "
                f"data directory now has fingerprint {data_fingerprint}"
            )
        return None

    def load(self, *, model: str, data_fingerprint: str, verify: bool = True, mmap: bool = False) -> IndexSet:
        folder = self.current_folder()
        if folder is None:
            raise IndexUnavailableError(
                f"no built indexes under {self.root}; run `matcher build` first "
                "(or `make run`, which builds them)"
            )
        try:
            manifest = Manifest.from_json((folder / "manifest.json").read_text())
        except (OSError, ValueError, TypeError) as exc:
            raise IndexUnavailableError(
                f"the index manifest in {folder} is unreadable ({exc}); run `matcher build --force`"
            ) from None
        why = self.mismatch(manifest, model=model, data_fingerprint=data_fingerprint)
        if why:
            raise IndexUnavailableError(
                f"refusing the indexes in {folder}: {why}. Run `matcher build` to rebuild.",
                details={"manifest_model": manifest.model, "model": model},
            )
        indexes: dict[str, VectorIndex] = {}
        for name, info in manifest.indexes.items():
            for fname, digest in info.get("sha256", {}).items():
                path = folder / fname
                if not path.is_file():
                    raise IndexUnavailableError(f"index file {path} is missing; run `matcher build --force`")
                if verify and sha256_file(path) != digest:
                    raise IndexUnavailableError(
                        f"index file {path} is corrupt (checksum mismatch); run `matcher build --force`"
                    )
            try:
                indexes[name] = VectorIndex.load(folder, name, mmap=mmap)
            except (RuntimeError, ValueError, OSError, KeyError) as exc:
                raise IndexUnavailableError(
                    f"index {name!r} in {folder} cannot be read ({exc}); run `matcher build --force`"
                ) from None
        return IndexSet(folder, manifest, indexes)

    # -- writing -------------------------------------------------------------------------------
    def new_build(self) -> BuildWriter:
        self.root.mkdir(parents=True, exist_ok=True)
        return BuildWriter(self)

    def publish(self, tmp: Path) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        final = self.root / f"build-{stamp}-{uuid.uuid4().hex[:6]}"
        os.replace(tmp, final)
        fsync_dir(self.root)
        atomic_write_text(self.current_file, final.name + "\n")
        self.prune()
        return final

    def prune(self) -> None:
        """Remove abandoned temporary folders and all but the newest complete builds."""
        live = self.current_folder()
        for tmp in self.root.glob(".tmp-*"):
            if time.time() - tmp.stat().st_mtime > 6 * 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        builds = sorted(self.root.glob("build-*"), key=lambda p: p.name, reverse=True)
        keep = {live} if live else set()
        keep.update(builds[:KEEP_BUILDS])
        for b in builds:
            if b not in keep:
                shutil.rmtree(b, ignore_errors=True)


class BuildWriter:
    """Collects indexes in a temporary folder; :meth:`commit` publishes them atomically."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self.tmp = store.root / f".tmp-{uuid.uuid4().hex}"
        self.tmp.mkdir(parents=True)
        self.entries: dict[str, dict[str, Any]] = {}
        self.started = time.monotonic()

    def add(self, index: VectorIndex, **info: Any) -> None:
        paths = index.save(self.tmp)
        self.entries[index.name] = {
            "count": len(index),
            "distinct_ids": len(set(index.ids)),
            "bytes": sum(p.stat().st_size for p in paths),
            "sha256": {p.name: sha256_file(p) for p in paths},
            **info,
        }

    def commit(
        self,
        *,
        model: str,
        dim: int,
        data_fingerprint: str,
        data_versions: dict[str, str],
        extra: dict[str, Any] | None = None,
    ) -> Path:
        from matcher import __version__

        manifest = Manifest(
            model=model,
            dim=dim,
            data_fingerprint=data_fingerprint,
            data_versions=data_versions,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            build_seconds=round(time.monotonic() - self.started, 1),
            indexes=self.entries,
            extra=extra or {},
            matcher_version=__version__,
        )
        for p in self.tmp.iterdir():
            with p.open("rb") as fh:
                os.fsync(fh.fileno())
        atomic_write_text(self.tmp / "manifest.json", manifest.to_json())
        return self.store.publish(self.tmp)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
