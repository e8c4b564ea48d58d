"""`matcher admin ...`: organisations, users and API keys of the review workflow, and the demo
partnership (`seed-demo`, run by `make run`). The command line acts as an admin; every change
is in the audit log as ``cli``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli.ui import err, print_json, print_table

admin_app = typer.Typer(
    help="Organisations, users, API keys and the demo partnership of the review workflow.",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _db():
    from matcher.db import get_database

    return get_database()


def _cli():
    from matcher.review import Actor

    return Actor.command_line("cli")


@admin_app.command("create-org")
def create_org(
    name: Annotated[str, typer.Argument(help="Organisation name (unique).")],
    kind: Annotated[str, typer.Option("--kind", help="provider | employer | state")],
    state: Annotated[str, typer.Option("--state", help="Two-letter state code, e.g. NJ.")],
    as_json: JsonOpt = False,
) -> None:
    """Create a training provider, employer or state agency."""
    from matcher.review import accounts

    org = accounts.create_org(_db(), _cli(), name=name, kind=kind, state=state)
    if as_json:
        print_json(org)
    else:
        typer.echo(f"organisation {org['id']}: {org['name']} ({org['kind']}, {org['state']})")


@admin_app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="Sign-in email (unique).")],
    name: Annotated[str, typer.Option("--name", help="Full name, shown with the user's decisions.")],
    role: Annotated[str, typer.Option("--role", help="provider | employer | reviewer | admin")],
    org: Annotated[str, typer.Option("--org", help="Organisation name or id.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="No web sign-in: the user works with API keys only.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create a user. The password is asked for (hidden) unless --password-stdin or --no-password."""
    from matcher.review import accounts

    password: str | None
    if no_password:
        password = None
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    else:
        from matcher.errors import BadInputError

        raise BadInputError("no password: give --password-stdin, --no-password, or run in a terminal")
    user = accounts.create_user(_db(), _cli(), email=email, name=name, role=role, org=org, password=password)
    if as_json:
        print_json(user)
    else:
        typer.echo(f"user {user['id']}: {user['email']} ({user['role']}, {user['organisation']['name']})")


@admin_app.command("create-key")
def create_key(
    user: Annotated[str, typer.Argument(help="User email or id.")],
    label: Annotated[str, typer.Option("--label", help="What the key is for.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Create an API key for a user and print it. It is shown this once; the database keeps
    only its hash. Send it as the X-API-Key header."""
    from matcher.review import accounts

    record, token = accounts.create_api_key(_db(), _cli(), user=user, label=label)
    if as_json:
        print_json({**record, "key": token})
        return
    err.print(f"API key {record['prefix']} for user {record['user_id']}; it is shown only now:")
    typer.echo(token)


@admin_app.command("revoke-key")
def revoke_key(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (the part after smk_).")],
    as_json: JsonOpt = False,
) -> None:
    """Revoke an API key; it stops working at once."""
    from matcher.review import accounts

    record = accounts.revoke_api_key(_db(), _cli(), prefix=prefix)
    if as_json:
        print_json(record)
    else:
        typer.echo(f"API key {record['prefix']} revoked at {record['revoked_at']}")


@admin_app.command("list-users")
def list_users(as_json: JsonOpt = False) -> None:
    """Every user with role and organisation."""
    from matcher.review import accounts

    users = accounts.list_users(_db(), _cli())
    if as_json:
        print_json(users)
        return
    rows = [(u["id"], u["email"], u["name"], u["role"], u["organisation"]["name"]) for u in users]
    print_table("Users", ["id", "email", "name", "role", "organisation"], rows)


@admin_app.command("list-orgs")
def list_orgs(as_json: JsonOpt = False) -> None:
    """Every organisation."""
    from matcher.review import accounts

    orgs = accounts.list_orgs(_db())
    if as_json:
        print_json(orgs)
        return
    print_table("Organisations", ["id", "name", "kind", "state"], [tuple(o.values()) for o in orgs])


@admin_app.command("seed-demo")
def seed_demo(
    align: Annotated[
        bool, typer.Option("--align/--no-align", help="Align the demo programs (needs the built indexes).")
    ] = True,
    fixture: Annotated[Path | None, typer.Option("--fixture", help="Another partnership file.")] = None,
    url: Annotated[
        str, typer.Option("--url", help="Where the service will listen.")
    ] = "http://127.0.0.1:8000",
    as_json: JsonOpt = False,
) -> None:
    """Load the demo partnership (idempotent) and print its sign-in details."""
    from matcher.errors import MatcherError
    from matcher.review.demo import seed_demo as seed
    from matcher.settings import get_settings

    settings = get_settings()
    matcher = None
    if align:
        from matcher.engine import Matcher

        try:
            matcher = Matcher.load(settings)
        except MatcherError as exc:
            err.print(f"demo programs are not aligned yet ({exc.message}); sign in and press 'Align again'")
    result = seed(_db(), env=settings.env, matcher=matcher, fixture=fixture)
    if as_json:
        print_json({**result, "url": url})
        return
    made = ", ".join(f"{n} {k}" for k, n in result["created"].items() if n) or "nothing new (already loaded)"
    err.print(f"demo partnership: {made}")
    typer.echo(f"Demo sign-in at {url}/ui/login (API docs at {url}/docs):")
    for u in result["sign_in"]:
        typer.echo(f"  {u['role']:<9} {u['email']:<24} password {u['password']:<21} {u['organisation']}")


@admin_app.command("backup")
def backup_cmd(
    dest: Annotated[Path, typer.Argument(help="New folder for the backup (must not exist).")],
    indexes: Annotated[
        bool, typer.Option("--indexes/--no-indexes", help="Include the live index build.")
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Back up the database and the live index build, with row counts and checksums (the service
    may keep running: the database is read as one consistent snapshot)."""
    from matcher.db.backup import backup
    from matcher.settings import get_settings

    manifest = backup(get_settings(), dest, indexes=indexes)
    if as_json:
        print_json(manifest)
        return
    tables = manifest["database"]["tables"]
    rows = [(name, t["rows"], t["sha256"][:16]) for name, t in tables.items()]
    print_table(f"Backup {dest}", ["table", "rows", "sha256"], rows)
    err.print(
        f"index build: {manifest['indexes']['build'] or 'not included'}; {len(manifest['files'])} files"
    )


@admin_app.command("restore")
def restore_cmd(
    src: Annotated[Path, typer.Argument(help="A folder written by `matcher admin backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Set an existing SQLite database file aside and restore.")
    ] = False,
    indexes: Annotated[
        bool, typer.Option("--indexes/--no-indexes", help="Also restore the index build.")
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Restore the database (into an empty one) and the index build from a backup; every file and
    every table is checked against the backup's checksums. Stop the service first."""
    from matcher.db.backup import restore
    from matcher.settings import get_settings

    counts = restore(get_settings(), src, force=force, indexes=indexes)
    if as_json:
        print_json({"tables": counts})
        return
    print_table(f"Restored from {src}", ["table", "rows"], list(counts.items()))
    err.print("every table matches the backup's checksums")


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
