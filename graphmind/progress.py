"""Progress you can see, on stderr: a bar with total, rate and ETA in a terminal; plain
periodic lines when stderr is a pipe or a file (a first line, one every few seconds, and a
last line per stage); nothing with ``quiet``. A run ends with one summary line: counts and
time per stage.

Bars use ``rich`` in a terminal when it is installed (it imports only then), else ``tqdm``.
The plain lines look like::

    graphmind: extract: 120/2,000 notes (6%), 41.3/s, 0:02 elapsed, ETA 0:45
    graphmind: extract: 2,000 notes in 0:48 (41.6/s)
"""

from __future__ import annotations

import os
import sys
import time
from typing import IO

PLAIN_EVERY = 5.0  # seconds between plain progress lines (GRAPHMIND_PROGRESS_EVERY)


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Stage:
    """One stage of a run: ``advance`` as work is done; ``total`` may be set later."""

    def __init__(self, run: "Progress", name: str, total: int | None, unit: str):
        self.run, self.name, self.total, self.unit = run, name, total, unit
        self.done = 0
        self.started = time.monotonic()
        self.elapsed = 0.0
        self.closed = False
        self.extra = ""  # what the summary says besides the count
        self._last_line = self.started
        self._bar = None
        if run.mode == "bar":
            self._bar = run._make_bar(name, total, unit)
        elif run.mode == "plain":
            run._line(f"{name}: started" + (f" ({total:,} {unit})" if total else ""))

    def set_total(self, total: int) -> None:
        self.total = total
        if self._bar is not None:
            self._bar.set_total(total)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.run.mode == "plain":
            now = time.monotonic()
            if now - self._last_line >= self.run.every:
                self._last_line = now
                self.run._line(self._status(now))

    def _status(self, now: float) -> str:
        spent = now - self.started
        rate = self.done / spent if spent > 0 else 0.0
        if self.total:
            share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
            settled = self.done >= max(3, self.total // 100)  # the first items carry the start-up
            eta = f", ETA {_clock((self.total - self.done) / rate)}" if rate > 0 and settled else ""
            return (f"{self.name}: {self.done:,}/{self.total:,} {self.unit}{share}, {rate:,.1f}/s, "
                    f"{_clock(spent)} elapsed{eta}")
        return f"{self.name}: {self.done:,} {self.unit}, {rate:,.1f}/s, {_clock(spent)} elapsed"

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.elapsed = time.monotonic() - self.started
        if self._bar is not None:
            self._bar.close()
        if self.run.mode != "quiet":
            rate = f" ({self.done / self.elapsed:,.1f}/s)" if self.elapsed > 0 and self.done else ""
            extra = f"; {self.extra}" if self.extra else ""
            self.run._line(f"{self.name}: {self.done:,} {self.unit} in {_clock(self.elapsed)}{rate}{extra}")

    def __enter__(self) -> "Stage":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _RichBar:
    def __init__(self, name: str, total: int | None, unit: str, stream: IO[str]):
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.progress = Progress(TextColumn(f"[bold]{name}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn(unit), TaskProgressColumn(), TimeElapsedColumn(),
                                 TextColumn("ETA"), TimeRemainingColumn(), console=Console(file=stream),
                                 transient=True)
        self.progress.start()
        self.task = self.progress.add_task(name, total=total)

    def set_total(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def update(self, n: int) -> None:
        self.progress.advance(self.task, n)

    def close(self) -> None:
        self.progress.stop()


class _TqdmBar:
    def __init__(self, name: str, total: int | None, unit: str, stream: IO[str]):
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=name, unit=unit, file=stream, leave=False)

    def set_total(self, total: int) -> None:
        self.bar.total = total
        self.bar.refresh()

    def update(self, n: int) -> None:
        self.bar.update(n)

    def close(self) -> None:
        self.bar.close()


class Progress:
    """The progress of one command: stages, each shown as it goes, and a summary.

    ``mode``: ``auto`` (a bar on a terminal, plain lines otherwise), ``bar``, ``plain`` or
    ``quiet``."""

    def __init__(self, quiet: bool = False, stream: IO[str] | None = None, mode: str = "auto"):
        self.stream = stream or sys.stderr
        if quiet:
            mode = "quiet"
        elif mode == "auto":
            mode = "bar" if _is_terminal(self.stream) else "plain"
        self.mode = mode
        try:
            self.every = float(os.environ.get("GRAPHMIND_PROGRESS_EVERY", PLAIN_EVERY))
        except ValueError:
            self.every = PLAIN_EVERY
        self.stages: list[Stage] = []
        self.started = time.monotonic()

    def stage(self, name: str, total: int | None = None, unit: str = "documents") -> Stage:
        s = Stage(self, name, total, unit)
        self.stages.append(s)
        return s

    def _make_bar(self, name, total, unit):
        try:
            return _RichBar(name, total, unit, self.stream)
        except ImportError:
            return _TqdmBar(name, total, unit, self.stream)

    def _line(self, text: str) -> None:
        print(f"graphmind: {text}", file=self.stream, flush=True)

    def summary(self) -> None:
        """One line: every stage with its count and time, and the whole time."""
        if self.mode == "quiet" or not self.stages:
            return
        parts = [f"{s.name} {s.done:,} {s.unit} {_clock(s.elapsed)}" for s in self.stages]
        self._line(f"done in {_clock(time.monotonic() - self.started)}: " + "; ".join(parts))


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
