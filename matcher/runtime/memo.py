"""A bounded, thread-safe, least-recently-used map: the in-memory memos of alignment results,
span vectors and pipeline sentences."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """Keeps the ``size`` most recently used entries; a hit counts as a use."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The entries present among ``keys`` (one lock for all)."""
        out: dict[K, V] = {}
        with self._lock:
            for key in keys:
                value = self._items.get(key)
                if value is not None:
                    self._items.move_to_end(key)
                    out[key] = value
        return out

    def put(self, key: K, value: V) -> None:
        self.put_many({key: value})

    def put_many(self, entries: Mapping[K, V]) -> None:
        with self._lock:
            for key, value in entries.items():
                self._items[key] = value
                self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
