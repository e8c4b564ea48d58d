"""The employer review workflow: providers share a program's alignment with the employers of
their sector partnership; employers decide, per occupation and per skill, whether it is
required at hire, nice to have, not needed, or missing from the program; state reviewers and
everyone involved see who decided what, when.

Modules, one concept each: ``vocab`` (roles, decisions, limits), ``tables`` (the database
tables), ``hashing`` (secrets at rest), ``actor`` and ``policy`` (who may do what), ``audit``
(the append-only log and its guards), ``accounts`` (organisations, users, API keys), ``auth``
(API keys, sign-in, sessions), ``programs``, ``snapshots`` (alignments with their versions),
``reviews`` (decisions with optimistic locking), ``views`` (rows as dicts), ``demo`` (the demo
partnership). Every function takes the :class:`~matcher.db.Database` and the acting
:class:`Actor`; none imports FastAPI.
"""

from matcher.review.actor import Actor
from matcher.review.policy import Action
from matcher.review.vocab import MAX_COMMENT_CHARS, Decision, OrgKind, Role

__all__ = ["MAX_COMMENT_CHARS", "Action", "Actor", "Decision", "OrgKind", "Role"]
