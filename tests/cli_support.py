"""The ``matcher`` command line run inside the test process: ``matcher.cli.main`` under Typer's
``CliRunner`` isolation (its own stdin, stdout, stderr and environment), so a command parses
its arguments, reports errors and exits exactly as the installed command does, without paying
for a new Python process, its imports and its model loads on every call.
``tests/test_cli.py::test_end_to_end_smoke`` still runs ``python -m matcher`` as a real process.

The result is a ``subprocess.CompletedProcess``, as ``subprocess.run`` gives it (text, or bytes
with ``text=False``). An exception that escapes ``main`` is written to the captured stderr as a
traceback with exit status 1, as Python itself would do, so assertions on "no traceback" keep
their meaning.
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Mapping
from typing import Any


def run_cli(
    *args: str, env: Mapping[str, str] | None = None, stdin: str | bytes | None = None, text: bool = True
) -> subprocess.CompletedProcess[Any]:
    """``matcher *args`` with ``env`` added to the environment; the environment and the cached
    settings are restored afterwards (options such as ``--home`` write the environment)."""
    from typer.testing import CliRunner

    from matcher.cli import main
    from matcher.settings import get_settings

    saved = dict(os.environ)
    get_settings.cache_clear()
    try:
        with CliRunner().isolation(input=stdin, env=dict(env or {})) as (out, err, _):
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception:  # what an uncaught exception does to a real process
                sys.stderr.write(traceback.format_exc())
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
    if text:
        return subprocess.CompletedProcess(
            ["matcher", *args], code, stdout.decode(errors="replace"), stderr.decode(errors="replace")
        )
    return subprocess.CompletedProcess(["matcher", *args], code, stdout, stderr)
