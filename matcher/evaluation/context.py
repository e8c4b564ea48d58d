"""What methods may use: settings, the taxonomy catalog, the encoder, the indexes. Loaded lazily
so a TF-IDF baseline never loads the encoder. Never the evaluation files' gold fields."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from matcher.settings import Settings, get_settings


class EvalContext:
    def __init__(self, settings: Settings | None = None, *, matcher: Any | None = None) -> None:
        self.settings = settings or get_settings()
        self._matcher = matcher
        self.base_dir: Path | None = None  # folder of the evaluated file (records may name files in it)

    @functools.cached_property
    def matcher(self):
        if self._matcher is not None:
            return self._matcher
        from matcher.engine import Matcher

        return Matcher.load(self.settings)

    @property
    def catalog(self):
        if self._matcher is not None:
            return self._matcher.catalog
        return self._catalog

    @functools.cached_property
    def _catalog(self):
        from matcher.sources import DataDir
        from matcher.sources.catalog import Catalog

        return Catalog(DataDir(self.settings.data_dir))

    @property
    def encoder(self):
        return self.matcher.encoder

    @property
    def indexes(self):
        return self.matcher.indexes

    def versions(self) -> dict[str, Any]:
        if self._matcher is not None or "matcher" in self.__dict__:
            m = self.matcher
            if "aligner" in m.__dict__:  # the aligner adds its weights and program memory
                return dict(m.aligner.versions)
            return dict(m.versions)
        return {"data": self.catalog.data.versions, "data_fingerprint": self.catalog.data.fingerprint}
