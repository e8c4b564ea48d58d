"""`matcher data ...`: where the reference data is, whether it is complete, and fetching it."""

from __future__ import annotations

from typing import Annotated

import typer

from matcher.cli.ui import RichProgress, err, print_json, print_table

data_app = typer.Typer(help="Reference data: info, verify, fetch.", no_args_is_help=True)


@data_app.command("info")
def info(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show the data directory, the versions found in it and its fingerprint."""
    from matcher.settings import get_settings
    from matcher.sources import DataDir

    s = get_settings()
    data = DataDir(s.data_dir)
    data.check()
    payload = {
        "data_dir": str(data.root),
        "versions": data.versions,
        "fingerprint": data.fingerprint,
        "home": str(s.home),
    }
    if as_json:
        print_json(payload)
    else:
        print_table(
            "Reference data",
            ["key", "value"],
            [
                ("data_dir", data.root),
                *data.versions.items(),
                ("fingerprint", data.fingerprint),
                ("home", s.home),
            ],
        )


@data_app.command("verify")
def verify_cmd() -> None:
    """Check the data directory against reference-data.sha256 (MATCHER_DATASETS_DIR)."""
    from matcher.settings import get_settings
    from matcher.sources.fetch import verify

    s = get_settings()
    ok, bad, missing = verify(s.data_dir, s.datasets_dir / "reference-data.sha256")
    err.print(f"{len(ok)} files match, {len(bad)} differ, {len(missing)} missing in {s.data_dir}")
    for rel in bad:
        err.print(f"  differs: {rel}")
    for rel in missing:
        err.print(f"  missing: {rel}")
    if bad or missing:
        raise typer.Exit(1)


@data_app.command("fetch")
def fetch(
    version: Annotated[str, typer.Option(help="O*NET release, e.g. 29.3.")] = "29.3",
    sha256: Annotated[str | None, typer.Option(help="Expected sha256 of the zip.")] = None,
) -> None:
    """Download the official O*NET text release into the data directory (needs internet)."""
    from matcher.settings import get_settings
    from matcher.sources.fetch import fetch_onet, record_fetch

    s = get_settings()
    s.data_dir.mkdir(parents=True, exist_ok=True)
    entry = fetch_onet(s.data_dir, version=version, sha256=sha256, progress=RichProgress())
    log_path = record_fetch(s.home, entry)
    err.print(
        f"O*NET {version} unpacked into {entry['folder']}; sha256 {entry['sha256']} (recorded in {log_path})"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
