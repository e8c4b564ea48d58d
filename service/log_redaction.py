"""No secret reaches the access log: query values whose names say they are secret (``api_key``,
``password``, ``token``, ``secret``, ``session``, ``csrf``...) are replaced by ``[redacted]``
in every record of uvicorn's loggers, whoever serves the app (``matcher serve`` or uvicorn
directly). The routes never take a secret in the query string (a key in a URL is refused),
but clients send them anyway, and URLs are logged before anyone looks at them."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode

SECRET_NAME = re.compile(r"key|pass|pwd|token|secret|session|csrf|auth|credential", re.I)
REDACTED = "[redacted]"
LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn")


def redact_url(url: str) -> str:
    """``url`` with the values of secret-looking query parameters replaced."""
    path, sep, query = url.partition("?")
    if not sep or not SECRET_NAME.search(query):
        return url
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs:
        return f"{path}?{REDACTED}"
    return f"{path}?" + urlencode(
        [(k, REDACTED if SECRET_NAME.search(k) else v) for k, v in pairs], safe="[]"
    )


class RedactSecrets(logging.Filter):
    """Redacts every string argument (and the message) of a record that holds a query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_url(a) if isinstance(a, str) and "?" in a else a for a in record.args)
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = " ".join(redact_url(part) for part in record.msg.split(" "))
        return True


def install() -> None:
    """Add the filter to uvicorn's loggers (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
