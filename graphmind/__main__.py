"""The ``graphmind`` command (also ``python -m graphmind``).

Loading the command's libraries takes a moment; a SIGINT or SIGTERM in that moment ends it
with one line and exit status 130 or 143 (nothing was done yet). Once the command runs, its
own handling takes over (``graphmind.cli.GraphMindGroup``)."""

from __future__ import annotations

import os
import signal
import threading


def _before_start(signum, frame) -> None:
    name = signal.Signals(signum).name
    os.write(2, f"graphmind: interrupted by {name} before it started; nothing was done\n".encode())
    os._exit(130 if signum == signal.SIGINT else 143)


def run() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _before_start)
        signal.signal(signal.SIGTERM, _before_start)
    from .cli import main

    main()


if __name__ == "__main__":
    run()
