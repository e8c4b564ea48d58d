"""Every use of the MiniLM sentence model goes through here: the cached sentence encoder and its
runtime policy (``Settings.backend``), the ONNX export, the bfloat16 fused transformer pass,
the span encoder of extraction, LoRA adapter loading and the on-disk embedding cache.
Training (:mod:`matcher.tuning`) imports this package, never the reverse."""
