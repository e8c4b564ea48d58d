"""What this CPU can do, read once from ``/proc/cpuinfo`` (elsewhere: no flags, the safe paths)."""

from __future__ import annotations

import functools


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags (``avx2``, ``avx512f``, ``avx512_bf16``...); empty when unknown."""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def cpu_has_bf16() -> bool:
    """Native bfloat16 matrix products (AVX-512 BF16 or AMX): bf16 runs ~2.5x float32 here."""
    return bool({"avx512_bf16", "amx_bf16"} & cpu_flags())


def cpu_has_avx512() -> bool:
    return "avx512f" in cpu_flags()
