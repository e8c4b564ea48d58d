"""Where the shipped model artefacts and data manifests are found: the checkout's ``models/`` and
``datasets/``, a folder named by the environment, or the copy installed inside the package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matcher import settings as settings_module
from matcher.settings import REPO_ROOT, Settings


def test_a_checkout_uses_its_own_models_and_datasets(tmp_path: Path) -> None:
    s = Settings(home=tmp_path)
    assert s.models_dir == REPO_ROOT / "models"
    assert s.datasets_dir == REPO_ROOT / "datasets"
    assert (s.span_model_dir / "weights.pt").is_file()
    assert (s.datasets_dir / "reference-data.sha256").is_file()


def test_the_environment_names_other_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    shutil.copytree(REPO_ROOT / "models" / "etpl-nj", models / "etpl-nj")
    monkeypatch.setenv("MATCHER_MODELS_DIR", str(models))
    monkeypatch.setenv("MATCHER_DATASETS_DIR", str(tmp_path / "datasets"))
    s = Settings(home=tmp_path)
    assert s.models_dir == models and s.datasets_dir == tmp_path / "datasets"
    assert s.program_memory_dir == models / "etpl-nj"
    assert s.span_model_dir == models / "skillspan-tagger"
    assert Settings(home=tmp_path, model="tuned").adapter_dir is None  # no adapter in that folder


def test_outside_a_checkout_the_installed_copy_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_module, "_in_checkout", lambda: False)
    bundled = Path(settings_module.__file__).resolve().parent / "_bundled"
    assert Settings().models_dir == bundled / "models"
    assert Settings().datasets_dir == bundled / "datasets"


def test_the_demo_fixture_is_read_from_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matcher.errors import BadInputError
    from matcher.review.demo import load_fixture

    assert load_fixture()["organisations"]
    monkeypatch.setenv("MATCHER_DATASETS_DIR", str(tmp_path))
    settings_module.get_settings.cache_clear()
    try:
        with pytest.raises(BadInputError, match="demo fixture not found"):
            load_fixture()
    finally:
        settings_module.get_settings.cache_clear()
