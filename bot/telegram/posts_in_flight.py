"""Group posts between their send and their stored link to a case, which a volunteer's reply can overtake."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class PostsInFlight:
    """Updates of different chats run concurrently, so a volunteer can reply to a post whose link is not stored yet.

    Every post holds a ticket from before its send until its link is stored; a lookup that misses waits for the
    posts begun before it (the replied-to message is necessarily one of them) and then looks again.
    """

    def __init__(self) -> None:
        self._open: set[int] = set()
        self._next = 0
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def post(self) -> AsyncIterator[None]:
        """Hold a ticket while sending a group message and linking it to its case."""
        ticket = self._next
        self._next += 1
        self._open.add(ticket)
        try:
            yield
        finally:
            self._open.discard(ticket)
            async with self._changed:
                self._changed.notify_all()

    async def settle(self, timeout: float) -> bool:
        """Wait (at most `timeout` seconds) until every post begun before now is linked or failed; False if there
        was none, so looking again would be pointless."""
        earlier = set(self._open)
        if not earlier:
            return False
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(lambda: not earlier & self._open), timeout)
        return True
