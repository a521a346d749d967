"""Where the Bolt servers GraphMind runs on differ: Neo4j 5 and the bundled ArcadeDB.

This module is the one place that names these differences. Everything else is the same
Cypher on both: the schema statements (``schemas/neo4j.cypher``), every write of ingest and
every named query. ``tests/test_backends.py`` checks that both servers give the same graph
and the same answers for the same notes. It also checks each fact below on the real
servers, so a server that changes its behaviour fails a test.

The differences, found by running the whole suite on both servers:

- **null inside a list**: Neo4j refuses to store a list property that holds a null. ArcadeDB
  stores it. So GraphMind stores no such list: a wikilink without an alias is ``""`` in
  ``Document.link_aliases``.
- **a write inside a read transaction**: Neo4j refuses it
  (``Neo.ClientError.Statement.AccessMode``). ArcadeDB runs it, and GraphMind then sees
  the write in the result's counters and rolls the transaction back. Both end in the same
  error: "pass --write to allow writes".
- **TEXT indexes**: ArcadeDB accepts ``CREATE TEXT INDEX`` but builds a range index.
  GraphMind asks for none: no named query filters on a substring.
- **the index behind a uniqueness constraint**: on Neo4j, ``SHOW INDEXES`` names it like
  the constraint (``unit_id``). On ArcadeDB the name is ``Label[property]``
  (``Unit[id]``).
- **the server's agent string**: ``Neo4j/5.26.30`` on Neo4j;
  ``Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)`` on ArcadeDB.

- **types**: ArcadeDB creates a type (``Claim~Unit`` for a node labelled Unit and Claim, or a
  relationship type) the first time a write uses it, outside the transaction; two commands
  doing that at once collide (``TypeAlreadyExistsException``). GraphMind creates every type
  it writes when it connects, in a transaction it rolls back (the types stay).

Both servers use the same status codes for the errors GraphMind explains: a missing
database, an unavailable database, a read-only database, and refused credentials. Both
also accept the ``bolt://`` and ``neo4j://`` URI forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARCADEDB = re.compile(r"\(ArcadeDB ([^)\s]+)\)")
_NEO4J = re.compile(r"^Neo4j/(\S+)")


@dataclass(frozen=True)
class Dialect:
    """What GraphMind knows about one Bolt server, read from its agent string."""

    name: str  # "neo4j" or "arcadedb"
    version: str
    stores_null_in_lists: bool
    refuses_writes_in_read_transactions: bool
    has_text_indexes: bool
    creates_types_on_first_write: bool = False

    @property
    def product(self) -> str:
        return {"neo4j": "Neo4j", "arcadedb": "ArcadeDB"}[self.name] + f" {self.version}"

    def constraint_index_name(self, constraint: str, label: str, prop: str) -> str:
        """How ``SHOW INDEXES`` names the index that backs a uniqueness constraint."""
        return f"{label}[{prop}]" if self.name == "arcadedb" else constraint


def detect(agent: str) -> Dialect:
    """The dialect of a server from its Bolt agent string (``driver.get_server_info().agent``).
    A server that is neither ArcadeDB nor Neo4j, such as another Bolt server, is treated as
    Neo4j: GraphMind's Cypher is Neo4j 5 Cypher."""
    m = _ARCADEDB.search(agent or "")
    if m:
        return Dialect("arcadedb", m.group(1), stores_null_in_lists=True, refuses_writes_in_read_transactions=False,
                       has_text_indexes=False, creates_types_on_first_write=True)
    m = _NEO4J.match(agent or "")
    return Dialect("neo4j", m.group(1) if m else "unknown", stores_null_in_lists=False,
                   refuses_writes_in_read_transactions=True, has_text_indexes=True)
