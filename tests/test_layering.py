"""Import directions between the library's packages (issue #28): dependencies point down.

Every import in ``matcher/`` is read with ``ast`` (function-level imports too, which a lazy
import would otherwise hide), so the rules hold whether or not a module is ever loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "matcher"

# package -> the only matcher packages it may import (besides itself): the bottom layers
ONLY = {
    "matcher.errors": set(),
    "matcher.runtime": set(),
    "matcher.text": {"matcher.errors"},
    "matcher.scoring": {"matcher.errors"},
    "matcher.settings": set(),
    "matcher.encoding": {"matcher.errors", "matcher.runtime", "matcher.settings"},
}
# package -> matcher packages it must never import
NEVER = {
    # training imports encoding (adapter loading lives there), never the reverse
    "matcher.encoding": {"matcher.tuning"},
    # fitting shares record types and metrics with evaluation through matcher.scoring
    "matcher.align": {"matcher.evaluation", "matcher.tuning", "matcher.cli", "matcher.engine"},
    "matcher.indexes": {"matcher.extract", "matcher.align", "matcher.engine", "matcher.cli"},
    "matcher.extract": {"matcher.align", "matcher.gaps", "matcher.engine", "matcher.evaluation"},
    "matcher.postings": {"matcher.engine", "matcher.cli", "matcher.pipeline"},
}
# the library never imports the web layer (`matcher serve` hands uvicorn the app by name)
WEB = {"service", "fastapi", "starlette"}


def package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def imports() -> dict[str, set[str]]:
    """Each library module -> the absolute module names it imports."""
    out: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        out[name] = found
    return out


IMPORTS = imports()


def violations(allowed, forbidden) -> list[str]:  # type: ignore[no-untyped-def]
    bad = []
    modules = set(IMPORTS)
    for mod, targets in IMPORTS.items():
        src = package(mod)
        for t in targets:
            if t not in modules and t.rsplit(".", 1)[0] in modules:
                t = t.rsplit(".", 1)[0]  # `from pkg.mod import name`: the module is pkg.mod
            if not t.startswith("matcher.") or package(t) == src:
                continue
            if not allowed(src, package(t)) or forbidden(src, package(t)):
                bad.append(f"{mod} imports {t}")
    return sorted(set(bad))


def test_bottom_layers_import_only_what_lies_below() -> None:
    bad = violations(lambda src, dst: src not in ONLY or dst in ONLY[src], lambda src, dst: False)
    assert bad == []


@pytest.mark.parametrize("src", sorted(NEVER))
def test_named_upward_imports_stay_out(src: str) -> None:
    bad = violations(lambda s, d: True, lambda s, d: s == src and d in NEVER[src])
    assert bad == []


def test_the_library_never_imports_the_web_layer() -> None:
    bad = [f"{m} imports {t}" for m, ts in IMPORTS.items() for t in ts if t.split(".")[0] in WEB]
    assert bad == []


def test_the_rules_see_the_imports_they_forbid() -> None:
    """The walk finds function-level imports and maps names to packages (or the rules above
    would pass on an empty graph)."""
    assert "matcher.encoding.encoder" in IMPORTS["matcher.indexes.build"]
    assert "matcher.encoding.adapter" in IMPORTS["matcher.encoding.encoder"]  # inside a method
    assert {package(t) for t in IMPORTS["matcher.tuning.train"]} >= {"matcher.encoding"}
    assert violations(lambda s, d: True, lambda s, d: s == "matcher.tuning" and d == "matcher.encoding")
