"""Dead-code check (`make lint`): functions, methods, classes, properties and imports that
nothing in the repository uses, and unreachable code, found by vulture.

Everything that can call library code is scanned together (the library, the service, the
evaluation scripts, the tests and the model recipes), so a function that only a test or a
benchmark uses counts as used. Names called by frameworks rather than by our code are not
reported: CLI commands, routes, validators, event listeners and fixtures (by their decorators),
and the hooks listed in ``IGNORE_NAMES``. Unused variables and attributes are not reported
either: they are dataclass fields, ORM columns and settings that serialisation and frameworks
read by name, where vulture cannot see it.

Exit status 1 and one line per finding when something is unused; a finding that is a false
alarm goes into ``IGNORE_NAMES`` with its reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

from vulture import Vulture

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("matcher", "service", "evaluation", "tests", "models")
REPORTED = {"function", "method", "class", "property", "import", "unreachable_code"}
IGNORE_DECORATORS = [
    "@*.command",  # typer commands
    "@*.callback",
    "@router.*",  # FastAPI routes
    "@app.*",  # FastAPI exception handlers and middleware
    "@event.listens_for",  # SQLAlchemy events
    "@field_validator",  # pydantic
    "@model_validator",
    "@pytest.fixture",
]
IGNORE_NAMES = [
    "__getattr__",  # module attribute hook (PEP 562)
    "pytest_*",  # pytest hooks
    "upgrade",  # Alembic migration entry points
    "downgrade",
    "footer",  # fpdf2 page hook
    "handle_*",  # html.parser.HTMLParser callbacks
    "process_bind_param",  # SQLAlchemy TypeDecorator hooks
    "process_result_value",
    # Unused when this check arrived, in modules under active change elsewhere: use or remove.
    "available",  # matcher/sources/titles.py, a property (0681197)
]


def main() -> int:
    v = Vulture(ignore_names=IGNORE_NAMES, ignore_decorators=IGNORE_DECORATORS)
    v.scavenge([str(ROOT / p) for p in PATHS], exclude=[str(ROOT / ".venv"), str(ROOT / "var")])
    found = [item for item in v.get_unused_code() if item.typ in REPORTED]
    for item in found:
        print(item.get_report(add_size=False))  # noqa: T201
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
