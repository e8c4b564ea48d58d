"""Wiring: a :class:`~matcher.postings.store.PostingStore` from a loaded matcher and the database
of its settings (the coder, and the skill extractor once there is one, come from the matcher)."""

from __future__ import annotations

import logging
from typing import Any

from matcher.db import Database, get_database
from matcher.postings.coding import OccupationCoder
from matcher.postings.store import Extractor, PostingStore

log = logging.getLogger(__name__)


def extractor_of(matcher: Any) -> Extractor | None:
    """The matcher's skill extractor, or None while the library has none."""
    try:
        return matcher.extractor
    except (AttributeError, ImportError) as exc:
        log.info("postings are stored without skills: no skill extractor (%s)", exc)
        return None


def coder_of(matcher: Any) -> OccupationCoder:
    coder = getattr(matcher, "coder", None)
    return coder if isinstance(coder, OccupationCoder) else OccupationCoder.from_matcher(matcher)


def postings_store(matcher: Any, database: Database | None = None) -> PostingStore:
    db = database or get_database(matcher.settings)
    return PostingStore(db, coder_of(matcher), extractor_of(matcher))
