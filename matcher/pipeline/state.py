"""The output folder of a run, written so that a run can be killed at any moment and resumed.

Layout (``OUT`` is ``--out``)::

    run.json                      the plan: inputs (path, size, mtime), shards, settings
    hashes/shard-00000.npy        exact-duplicate keys of a shard (16 bytes per record)
    shards/shard-00000.parquet    one row per input record: coding, skills, embedding
    shards/shard-00000.done.json  the shard's manifest (counts, stage timings) -- written last
    ivf/trained.faiss             empty IVF-SQ8 index with the coarse quantiser (+ .json)
    ivf/shard-00000.faiss         the shard's vectors added to it (+ .done.json)
    index/postings.faiss          the merged index (+ postings.ann.json, loadable by matcher.indexes.ann)
    summary.json                  the run's report -- written last

Every file is written to a temporary name in its folder and renamed into place, and a shard's
manifest is renamed only after its data files: a file that exists is complete, and a shard
whose manifest exists (with the plan's digest) is never redone.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matcher.errors import BadInputError

RUN_FILE = "run.json"
SUMMARY_FILE = "summary.json"
LAYOUT_VERSION = 1


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` for a temporary file next to ``path``, then rename it to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json(path: Path, data: Any) -> Path:
    return atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=1, default=str)))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text())


class RunLayout:
    """Paths of one run's output folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def run_file(self) -> Path:
        return self.root / RUN_FILE

    @property
    def summary_file(self) -> Path:
        return self.root / SUMMARY_FILE

    def hashes(self, shard: str) -> Path:
        return self.root / "hashes" / f"{shard}.npy"

    def parquet(self, shard: str) -> Path:
        return self.root / "shards" / f"{shard}.parquet"

    def done(self, shard: str) -> Path:
        return self.root / "shards" / f"{shard}.done.json"

    @property
    def ivf_dir(self) -> Path:
        return self.root / "ivf"

    @property
    def trained(self) -> Path:
        return self.ivf_dir / "trained.faiss"

    @property
    def trained_info(self) -> Path:
        return self.ivf_dir / "trained.json"

    def ivf_shard(self, shard: str) -> Path:
        return self.ivf_dir / f"{shard}.faiss"

    def ivf_done(self, shard: str) -> Path:
        return self.ivf_dir / f"{shard}.done.json"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    def shard_done(self, shard: str, digest: str) -> dict[str, Any] | None:
        """The shard's manifest when it was finished for this plan, else None."""
        path = self.done(shard)
        if not path.is_file() or not self.parquet(shard).is_file():
            return None
        try:
            manifest = read_json(path)
        except (OSError, ValueError):
            return None
        return manifest if manifest.get("plan") == digest else None

    def check_or_start(self, plan: dict[str, Any]) -> bool:
        """Write ``run.json`` for a new run; for an existing one check it is the same plan.
        Returns True when resuming."""
        if self.run_file.is_file():
            old = read_json(self.run_file)
            if old.get("digest") != plan["digest"] or old.get("version") != LAYOUT_VERSION:
                raise BadInputError(
                    f"{self.root} holds a run over other inputs or settings (plan {old.get('digest')}, "
                    f"now {plan['digest']}); give another --out folder, or delete that one to start again"
                )
            return True
        if self.root.exists() and any(self.root.iterdir()):
            raise BadInputError(f"{self.root} is not empty and holds no pipeline run; give an empty --out")
        write_json(self.run_file, {"version": LAYOUT_VERSION, **plan})
        return False
