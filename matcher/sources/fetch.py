"""Download the official O*NET text release, verify it and unpack it into the data directory;
verify a data directory against the recorded checksums."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from matcher.errors import BadInputError, DataMissingError
from matcher.runtime.progress import NULL_PROGRESS, Progress

log = logging.getLogger(__name__)

ONET_URL = "https://www.onetcenter.org/dl_files/database/db_{v}_text.zip"
OFFLINE_HELP = (
    "This machine cannot reach onetcenter.org. Download {url} on a machine that is online, "
    "unzip it into <data dir>/onet/ (the .txt files directly inside), and point "
    "MATCHER_DATA_DIR (or --data-dir) at <data dir>; or copy an existing data folder such as "
    "../shared/data."
)


def onet_url(version: str) -> str:
    return ONET_URL.format(v=version.replace(".", "_"))


def fetch_onet(
    data_dir: Path,
    *,
    version: str = "29.3",
    sha256: str | None = None,
    progress: Progress = NULL_PROGRESS,
    timeout: float = 60.0,
) -> dict[str, str]:
    """Download and unpack the O*NET text release into ``data_dir/onet`` atomically."""
    import httpx

    url = onet_url(version)
    buf = io.BytesIO()
    digest = hashlib.sha256()
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as resp:
            if resp.status_code != 200:
                raise DataMissingError(f"{url} answered HTTP {resp.status_code}; is version {version} right?")
            total = int(resp.headers.get("content-length") or 0) or None
            with progress.stage(f"downloading O*NET {version}", total) as stage:
                for chunk in resp.iter_bytes():
                    buf.write(chunk)
                    digest.update(chunk)
                    stage.advance(len(chunk))
    except httpx.HTTPError as exc:
        raise DataMissingError(
            f"could not download {url} ({exc.__class__.__name__}). " + OFFLINE_HELP.format(url=url)
        ) from None
    got = digest.hexdigest()
    if sha256 and got != sha256:
        raise DataMissingError(f"checksum mismatch for {url}: expected {sha256}, got {got}")
    target = Path(data_dir) / "onet"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        try:
            with zipfile.ZipFile(buf) as zf:
                for member in zf.infolist():
                    name = Path(member.filename)
                    if member.is_dir() or name.suffix != ".txt" or ".." in name.parts:
                        continue
                    with zf.open(member) as src, open(Path(tmp) / name.name, "wb") as dst:
                        shutil.copyfileobj(src, dst)
        except zipfile.BadZipFile:
            raise DataMissingError(f"{url} did not return a zip file") from None
        staged = Path(tmp) / "onet"
        staged.mkdir()
        for f in Path(tmp).glob("*.txt"):
            f.rename(staged / f.name)
        if target.exists():
            old = target.with_name(f"onet.old-{datetime.now(UTC):%Y%m%d%H%M%S}")
            target.rename(old)
        staged.rename(target)
    return {
        "url": url,
        "version": version,
        "sha256": got,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "folder": str(target),
    }


def verify(data_dir: Path, checksums: Path) -> tuple[list[str], list[str], list[str]]:
    """(ok, mismatched, missing) relative paths of the files listed in ``checksums``."""
    if not checksums.is_file():
        raise BadInputError(f"no checksum file at {checksums}")
    ok: list[str] = []
    bad: list[str] = []
    missing: list[str] = []
    for line in checksums.read_text().splitlines():
        if not line.strip():
            continue
        digest, rel = line.split(None, 1)
        rel = rel.strip().lstrip("*")
        path = Path(data_dir) / rel
        if not path.is_file():
            missing.append(rel)
            continue
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        (ok if h.hexdigest() == digest else bad).append(rel)
    return ok, bad, missing


def record_fetch(home: Path, entry: dict[str, str]) -> Path:
    log_path = Path(home) / "fetch-log.json"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    entries = json.loads(log_path.read_text()) if log_path.is_file() else []
    entries.append(entry)
    log_path.write_text(json.dumps(entries, indent=2))
    return log_path
