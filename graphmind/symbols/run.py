"""The symbol stage as one call: read the stored graph (and the glyph table), detect, write.
The graph is read as streamed rows of the fields detection uses (``source.StoreSource``), not
loaded whole."""

from __future__ import annotations

from dataclasses import dataclass

from ..progress import Progress
from .detect import Detected, detect
from .found import FoundOptions
from .source import StoreSource
from .store import WriteSummary, write_symbols
from .table import SymbolTable, default_path, read_table


@dataclass
class BuildResult:
    detected: Detected
    summary: WriteSummary
    table: str | None

    def counts(self) -> str:
        by: dict[str, int] = {}
        for s in self.detected.symbols:
            by[s.origin] = by.get(s.origin, 0) + 1
        names = {"declared": "declared in the notes", "user": "from the glyph table", "found": "found in the graph",
                 "used": "used without a definition"}
        return ", ".join(f"{by[o]} {names[o]}" for o in names if by.get(o)) or "no symbols"


def build_symbols(store, table: str | None = None, found: FoundOptions | None = FoundOptions(),
                  use_table: bool = True, progress=None) -> BuildResult:
    """Detect every symbol of the stored graph and write them (idempotently). ``table``:
    the glyph table's path (default: $GRAPHMIND_SYMBOLS, else ./symbols.toml when it exists);
    ``found``: options for communities (None: no found symbols); ``progress``: a
    ``graphmind.progress.Progress`` that shows each step as a stage."""
    path = default_path(table) if use_table else None
    symbol_table: SymbolTable | None = read_table(path) if path else None

    def run_query(text: str, params: dict) -> list[list]:
        return store.run(text, params)[1]

    progress = progress if progress is not None else Progress(quiet=True)
    detected = detect(StoreSource(store), symbol_table, found, run_query, progress)  # streamed, never whole
    with progress.stage("symbols: writing", unit="symbols") as stage:
        summary = write_symbols(store, detected.symbols, detected.kinds)
        stage.advance(len(detected.symbols))
    return BuildResult(detected, summary, str(path) if path else None)
