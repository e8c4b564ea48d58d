"""Load a committed LoRA adapter: merge it into the base model once, into a local folder.

The merged folder is an ordinary sentence-transformers folder (the base model's files with
``model.safetensors`` replaced), kept under ``<MATCHER_HOME>/models/``, so every consumer of
``Encoder.path`` (sentence-transformers, the extractor's transformer pass, ONNX export) works
unchanged. Its identity is ``<adapter name>@<digest of base identity + adapter files>``: indexes
and the embedding cache built with the tuned encoder never mix with the base model's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from matcher.errors import DataMissingError

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")


def adapter_identity(adapter_dir: Path, base_identity: str) -> str:
    h = hashlib.sha256(base_identity.encode())
    for name in ADAPTER_FILES:
        h.update(name.encode())
        h.update((adapter_dir / name).read_bytes())
    return f"{adapter_dir.resolve().name}@{h.hexdigest()[:12]}"


def materialise(adapter_dir: Path, root: Path) -> tuple[Path, str]:
    """The merged model folder for ``adapter_dir`` (built on first use) and its identity."""
    from matcher.encoding.encoder import model_identity, resolve_model_path

    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    if config.get("format") != "skills-matcher-lora-v1":
        raise DataMissingError(
            f"{adapter_dir} is not a skills-matcher LoRA adapter (format {config.get('format')!r})"
        )
    base_path = resolve_model_path(config.get("base", "default"))
    base_identity = model_identity(base_path)
    if config.get("base_model") and config["base_model"] != base_identity:
        raise DataMissingError(
            f"adapter {adapter_dir.name} was trained on {config['base_model']}, but the installed base model "
            f"is {base_identity}"
        )
    identity = adapter_identity(adapter_dir, base_identity)
    target = root / identity.replace("@", "-") / adapter_dir.resolve().name
    if (target / "model.safetensors").is_file():
        return target, identity
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".merge-", dir=root))
    try:
        staged = tmp / adapter_dir.resolve().name
        shutil.copytree(
            base_path, staged, ignore=shutil.ignore_patterns("onnx", ".cache", "model.safetensors")
        )
        _merge_weights(base_path / "model.safetensors", adapter_dir, config, staged / "model.safetensors")
        (staged / "ADAPTER").write_text(f"{identity}\nmerged from {adapter_dir.resolve()}\n")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staged, target)
        except OSError:  # another process merged it first
            if not (target / "model.safetensors").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target, identity


def _merge_weights(base_file: Path, adapter_dir: Path, config: dict, out: Path) -> None:
    import torch
    from safetensors.torch import load_file, save_file

    weights = load_file(str(base_file))
    adapter = load_file(str(adapter_dir / "adapter_model.safetensors"))
    scale = float(config["lora_alpha"]) / float(config["r"])
    for key in sorted(adapter):
        if not key.endswith(".lora_A"):
            continue
        name = key[: -len(".lora_A")]
        wkey = f"{name}.weight"
        if wkey not in weights:
            raise DataMissingError(f"adapter layer {name!r} is not in the base model")
        a, b = adapter[key].float(), adapter[f"{name}.lora_B"].float()
        with torch.no_grad():
            weights[wkey] = (weights[wkey].float() + (b @ a) * scale).to(weights[wkey].dtype).contiguous()
    save_file(weights, str(out), metadata={"format": "pt"})
