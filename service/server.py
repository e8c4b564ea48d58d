"""How ``matcher serve`` runs uvicorn: keep-alive and header timeouts, and the protocol class
that adds the header timeout uvicorn lacks.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``, but any byte
received cancels that timer, and nothing bounds how long a request's headers may take: a client
that sends one header byte every few seconds holds its connection (and a slot of the server)
forever. :class:`HeaderTimeoutProtocol` closes a connection whose request headers are not
complete ``Settings.header_timeout_seconds`` after it opened or after its previous response.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class HeaderTimeoutProtocol(HttpToolsProtocol):
    header_timeout: float | None = None  # seconds; None: Settings.header_timeout_seconds

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def _seconds(self) -> float:
        timeout = self.header_timeout
        if timeout is None:
            from matcher.settings import get_settings

            timeout = type(self).header_timeout = get_settings().header_timeout_seconds
        return float(timeout)

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self._seconds(), self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.logger.info("closed a connection whose request headers took over %.0f s", self._seconds())
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # as uvicorn narrows BaseTransport
        super().connection_made(transport)
        self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_header_timer()  # the next request's headers have the same bound

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)
