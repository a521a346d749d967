"""SIGINT and SIGTERM as an exception (``Interrupted``) raised where the command is, so that
every ``finally`` runs — except inside a call to the graph database's driver (``shielded``).

A signal that lands while the driver is part-way through reading a Bolt message would leave
the connection out of step with the server: the clean-up that follows (rolling back, the
connection's RESET when the session is closed) then reads garbage, fails with a traceback
or waits for bytes that never come — an interrupted command that never ends. So inside
``shielded`` the signal is only noted, and raised as soon as the driver call is over (a
page of a paged read, one transaction), with the connection in a state it can close."""

from __future__ import annotations

import signal
import threading


class Interrupted(BaseException):
    """SIGINT or SIGTERM: raised where the command is, so that every ``finally`` runs
    (temporary outputs removed, transactions rolled back, a server started for the command
    stopped). A BaseException, so that no ``except Exception`` takes it for an error."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_depth = 0  # driver calls under way in the main thread
_pending: int | None = None  # a signal that came during one


def on_signal(signum, frame) -> None:
    """The handler of SIGINT and SIGTERM while a command runs."""
    global _pending
    # the first signal interrupts; the clean-up it starts is short and is not interrupted again
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if _depth:
        _pending = signum
        return
    raise Interrupted(signum)


class _Shielded:
    """A driver call: a signal during it is raised once it is over (nests). A class rather
    than a generator: a streamed read enters it once a batch of rows."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _depth
        if threading.get_ident() == _MAIN:  # signals are handled in the main thread
            _depth += 1

    def __exit__(self, *exc) -> None:
        global _depth, _pending
        if threading.get_ident() == _MAIN:
            _depth -= 1
            if not _depth and _pending is not None:
                signum, _pending = _pending, None
                raise Interrupted(signum)


_MAIN = threading.main_thread().ident
_SHIELDED = _Shielded()


def shielded() -> _Shielded:
    """``with shielded():`` around a driver call (see the module's notes)."""
    return _SHIELDED
