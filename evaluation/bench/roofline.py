"""Float32 GEMM throughput on this machine: the roofline encoders are compared against."""

from __future__ import annotations

import time

import numpy as np


def numpy_gemm_gflops(threads: int, n: int = 2048, repeats: int = 3) -> float:
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    with threadpool_limits(limits=threads):
        a @ b  # warm-up
        best = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            a @ b
            best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def onnx_gemm_gflops(threads: int, n: int = 2048, repeats: int = 3) -> float:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("MatMul", ["A", "B"], ["C"])],
        "gemm",
        [
            helper.make_tensor_value_info("A", TensorProto.FLOAT, [n, n]),
            helper.make_tensor_value_info("B", TensorProto.FLOAT, [n, n]),
        ],
        [helper.make_tensor_value_info("C", TensorProto.FLOAT, [n, n])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = min(model.ir_version, 9)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(
        onnx.shape_inference.infer_shapes(model).SerializeToString(), opts, providers=["CPUExecutionProvider"]
    )
    feeds = {
        "A": np.random.default_rng(0).standard_normal((n, n), dtype=np.float32),
        "B": np.random.default_rng(1).standard_normal((n, n), dtype=np.float32),
    }
    sess.run(None, feeds)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        sess.run(None, feeds)
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def measure() -> dict[str, float]:
    out = {}
    for threads in (1, 2):
        out[f"numpy_{threads}t_gflops"] = round(numpy_gemm_gflops(threads), 1)
        out[f"onnx_{threads}t_gflops"] = round(onnx_gemm_gflops(threads), 1)
    return out
