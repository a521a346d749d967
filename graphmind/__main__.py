"""The ``graphmind`` command (also ``python -m graphmind``).

Loading the command's libraries takes a moment; a SIGINT or SIGTERM in that moment ends it
with one line and exit status 130 or 143 (nothing was done yet). Once the command runs, its
own handling takes over (``graphmind.cli.GraphMindGroup``); once it is over, a late signal
is ignored while the interpreter exits."""

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

    try:
        main()
    finally:
        # the command is over (its outputs are in place, its last line printed): a signal now
        # must not kill the exiting interpreter (exit status -2 with the work done)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)


if __name__ == "__main__":
    run()
