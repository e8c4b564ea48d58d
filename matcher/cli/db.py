"""`matcher db upgrade|current`: bring the database to the newest migration, show its revision."""

from __future__ import annotations

from typing import Annotated

import typer

from matcher.cli.ui import err, print_json

db_app = typer.Typer(help="The database (MATCHER_DATABASE_URL, default a SQLite file).", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_cmd(
    revision: Annotated[str, typer.Option("--revision", help="Target revision.")] = "head",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Apply pending migrations (also done automatically the first time the database is used)."""
    from matcher.db import Database, upgrade
    from matcher.db.engine import unavailable_as_error
    from matcher.settings import get_settings

    db = Database(get_settings().db_url, auto_upgrade=False)
    try:
        with unavailable_as_error(db.describe()):
            before, after = upgrade(db.engine, revision)
    finally:
        db.dispose()
    if as_json:
        print_json({"database": db.describe(), "before": before, "after": after})
    elif before == after:
        err.print(f"{db.describe()}: already at {after}")
    else:
        err.print(f"{db.describe()}: {before or 'empty'} -> {after}")


@db_app.command("current")
def current_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Show the database's revision and the newest one shipped."""
    from matcher.db import Database, current_revision, head_revision
    from matcher.db.engine import unavailable_as_error
    from matcher.settings import get_settings

    db = Database(get_settings().db_url, auto_upgrade=False)
    try:
        with unavailable_as_error(db.describe()):
            current = current_revision(db.engine)
    finally:
        db.dispose()
    payload = {"database": db.describe(), "current": current, "head": head_revision()}
    if as_json:
        print_json(payload)
    else:
        typer.echo(f"{payload['database']}: {current or 'empty'} (newest: {payload['head']})")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
