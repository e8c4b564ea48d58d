"""The ``matcher`` command line. Each command group lives in its own module and only calls
into the library; errors from the library become a one-line message and a non-zero exit."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, cast

import click
import typer

from matcher import __version__
from matcher.errors import ErrorKind, MatcherError

app = typer.Typer(
    name="matcher",
    help="Align training programs with O*NET-SOC and ESCO occupations; find skill gaps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_CODES = {
    ErrorKind.BAD_INPUT: 2,
    ErrorKind.NOT_FOUND: 3,
    ErrorKind.TOO_LARGE: 2,
    ErrorKind.UNSUPPORTED: 2,
    ErrorKind.DATA_MISSING: 4,
    ErrorKind.INDEX_UNAVAILABLE: 5,
    ErrorKind.UNAVAILABLE: 5,
    ErrorKind.CONFLICT: 6,
    ErrorKind.FORBIDDEN: 7,
    ErrorKind.UNAUTHORIZED: 7,
    ErrorKind.TOO_MANY_REQUESTS: 7,
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"matcher {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Reference data folder (MATCHER_DATA_DIR).")
    ] = None,
    home: Annotated[
        Path | None, typer.Option("--home", help="Folder for indexes, cache, database (MATCHER_HOME).")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="'default' or a local model folder (MATCHER_MODEL).")
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging.")] = 0,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    # Options become the environment so that every component (and `serve`) sees them.
    for env, value in (("MATCHER_DATA_DIR", data_dir), ("MATCHER_HOME", home), ("MATCHER_MODEL", model)):
        if value is not None:
            os.environ[env] = str(value)
    from matcher.settings import get_settings

    get_settings.cache_clear()
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("faiss.loader", "sentence_transformers", "httpx", "transformers"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def _register() -> None:
    from matcher.cli import (
        admin,
        core,
        data,
        db,
        evaluate,
        evidence,
        extract,
        ingest,
        outcomes,
        pipeline,
        postings,
        screen,
        titles,
        train,
    )

    for module in (
        core,
        data,
        evaluate,
        ingest,
        extract,
        postings,
        titles,
        db,
        admin,
        evidence,
        outcomes,
        train,
        pipeline,
        screen,
    ):
        module.register(app)


_register()


def _click_classes(name: str) -> tuple[type[BaseException], ...]:
    """Typer 0.29 bundles its own copy of click (``typer._click``) and raises that copy's
    exceptions for usage errors; commands may still raise the real click's. Catch both."""
    classes: list[type[BaseException]] = [getattr(click.exceptions, name)]
    try:
        from typer._click import exceptions as bundled
    except ImportError:  # typer versions that use the real click
        return tuple(classes)
    bundled_class = getattr(bundled, name, None)
    if bundled_class is not None and bundled_class not in classes:
        classes.append(bundled_class)
    return tuple(classes)


_ABORTS = _click_classes("Abort")
_CLICK_ERRORS = _click_classes("ClickException")


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        result = app(args=argv, standalone_mode=False, prog_name="matcher")
    except MatcherError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(EXIT_CODES.get(exc.kind, 1))
    except _ABORTS:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except _CLICK_ERRORS as exc:
        error = cast(click.ClickException, exc)  # either click's: the same interface
        error.show()
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(result if isinstance(result, int) else 0)
