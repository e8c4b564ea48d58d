"""Tables of the evidence packet: states' own lists of high-skill, high-wage or in-demand
occupations, imported from CSV (migration ``0003_state_lists``).

- ``state_occupation_lists``: one row per import (state, name, source, vintage, file SHA-256,
  who imported it and when). Lists are written once; the newest list of a state is its list.
- ``state_occupation_list_entries``: the SOC codes of a list, with the title and designation
  (for example ``in-demand`` or ``high-wage``) the state gave them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.db.base import Base, utcnow
from matcher.review.tables import Audited


class StateList(Audited, Base):
    __tablename__ = "state_occupation_lists"
    __audit_entity__ = "state_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(1000), default="")
    vintage: Mapped[str] = mapped_column(String(100), default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")
    file_sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(300))  # the actor's label

    entries: Mapped[list[StateListEntry]] = relationship(
        back_populates="state_list", order_by="StateListEntry.id", lazy="selectin"
    )


class StateListEntry(Base):
    __tablename__ = "state_occupation_list_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("state_occupation_lists.id"), index=True)
    soc: Mapped[str] = mapped_column(String(7))
    title: Mapped[str] = mapped_column(String(300), default="")
    designation: Mapped[str] = mapped_column(String(100), default="")
    line: Mapped[int] = mapped_column(Integer)  # line of the CSV file

    state_list: Mapped[StateList] = relationship(back_populates="entries")
