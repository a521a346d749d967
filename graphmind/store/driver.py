"""The ``neo4j`` driver, imported without the data-frame libraries it would load.

``import neo4j`` imports pandas and pyarrow when they are installed (``neo4j._optional_deps``:
for ``Result.to_df`` and for data-frame values as query parameters), about 70 MiB of a
process that uses neither: GraphMind sends plain values and reads records. While the driver is
imported they are hidden, so its optional support stays off; a later ``import pandas`` (the
``cluster`` extra) works as usual. Already imported by the caller, they are used as before.
"""

from __future__ import annotations

import sys

HIDDEN = ("pandas", "pyarrow")


class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            raise ImportError(f"{name} is not loaded for the neo4j driver")
        return None


def _import():
    hide = _Hide()
    sys.meta_path.insert(0, hide)
    try:
        import neo4j
        import neo4j.exceptions
    finally:
        sys.meta_path.remove(hide)
    return neo4j


neo4j = _import()
