"""Symbol nodes: a glyph or a coined name that compresses a cluster of meaning and unfolds
into it again. A stage after extraction: it reads the meaning graph (and the user's glyph
table) and writes ``Symbol`` nodes with ``SYMBOLIZES`` edges to their members and ``USES`` /
``EVOKES`` edges from the units that write or name them (see ``detect``)."""

from .detect import Detected, Symbol, detect, with_symbols  # noqa: F401
from .found import FoundOptions  # noqa: F401
from .table import SymbolTable, default_path, read_table  # noqa: F401
