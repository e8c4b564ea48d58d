"""Build step that pyproject.toml cannot express: the wheel also carries ``models/`` (the span
tagger, the labelled-program memory, the tuned adapter) and ``datasets/`` (data manifests,
the demo fixture) as ``matcher/_bundled/``, so that an installed matcher finds them without a
checkout (``matcher.settings.shipped_dir``). Everything else is configured in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("models", "datasets")
SKIP = {"__pycache__", ".ipynb_checkpoints"}


class BuildPyWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        for name in SHIPPED:
            for src in sorted((ROOT / name).rglob("*")):
                if src.is_file() and not SKIP & set(src.parts):
                    dest = Path(self.build_lib) / "matcher" / "_bundled" / src.relative_to(ROOT)
                    self.mkpath(str(dest.parent))
                    self.copy_file(str(src), str(dest))


setup(cmdclass={"build_py": BuildPyWithShippedFiles})
