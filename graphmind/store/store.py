"""The one store implementation: the official ``neo4j`` driver over Bolt, for Neo4j and for
the bundled local server alike.

Ingest is idempotent: documents and paragraphs carry a hash of what was extracted from
them; an unchanged document is skipped, a changed paragraph has its old units and
relations replaced in the same transaction, and nothing else is touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx

from .driver import neo4j as _neo4j  # noqa: F401 (first: the driver without pandas / pyarrow)
from neo4j import GraphDatabase, READ_ACCESS, WRITE_ACCESS
from neo4j.exceptions import (AuthError, ConfigurationError, DriverError, IncompleteCommit, Neo4jError,
                              ServiceUnavailable, SessionExpired)

from .. import ids
from ..interrupts import shielded
from ..exceptions import SchemaError, StoreError
from ..graph import MeaningGraph
from ..model import Extraction
from ..read.markdown import link_key
from ..redact import redact_uri
from ..schema import load_schema, resource_dir
from . import cypher, dialect, server

BATCH_ROWS = 2000
BATCH_DOCUMENTS = 100
PAGE_DOCUMENTS = 50  # documents read back per page
STREAM_BATCH = 1000  # rows of a streamed read taken from the driver at a time (its fetch size)
CONCEPTS_KEPT = 200_000  # concept rows ``pages_of`` keeps to give to later pages
KINDS = ("documents", "paragraphs", "units", "relations")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def safe_uri(uri: str) -> str:
    """The URI with its password masked, for messages (``bolt://root:***@host:7687``)."""
    return redact_uri(uri)


class WorkRefused(StoreError):
    """The server refused a transaction (rolled back whole); a conflict with another writer
    is among the reasons, so the work may be tried again."""


CONFLICT_RETRIES = 6


def _retry_refused(work: Callable, retries: int = CONFLICT_RETRIES):
    """Run ``work`` again (after a short random wait) when the server refused it; the error
    of the last try stands. ArcadeDB names no reason over Bolt ("The request failed"), so any
    refusal is retried, a few times."""
    for attempt in range(retries + 1):
        try:
            return work()
        except WorkRefused:
            if attempt == retries:
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))


@dataclass
class IngestSummary:
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"written": 0, "unchanged": 0, "removed": 0} for k in KINDS}
    )
    written_documents: list[str] = field(default_factory=list)  # ids, in the order written

    def add(self, kind: str, what: str, n: int = 1) -> None:
        self.counts[kind][what] += n

    def merge(self, other: "IngestSummary") -> None:
        for kind, c in other.counts.items():
            for what, n in c.items():
                self.counts[kind][what] += n
        self.written_documents.extend(other.written_documents)

    def line(self) -> str:
        return "; ".join(
            f"{k}: {c['written']} written, {c['unchanged']} unchanged, {c['removed']} removed"
            for k, c in self.counts.items()
        )


def _hash(obj) -> str:
    return hashlib.blake2b(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode(), digest_size=12).hexdigest()


def _chunks(rows: list, size: int = BATCH_ROWS) -> Iterator[list]:
    for k in range(0, len(rows), size):
        yield rows[k:k + size]


@dataclass
class _Plan:
    """What one batch of documents writes and removes."""

    delete_unit_paragraphs: list[str] = field(default_factory=list)
    delete_paragraphs: list[str] = field(default_factory=list)
    changed_documents: list[str] = field(default_factory=list)
    concept_candidates: set[str] = field(default_factory=set)
    documents: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    section_links: list[dict] = field(default_factory=list)
    indexes: list[dict] = field(default_factory=list)
    next_edges: list[dict] = field(default_factory=list)
    units: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[tuple[str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))
    concepts: dict[str, dict] = field(default_factory=dict)


class GraphStore:
    """A meaning graph in a Bolt graph database."""

    def __init__(self, uri: str, user: str, password: str, database: str | None = None,
                 retry_seconds: float = 15.0):
        """Connect and check that ``database`` (None: the server's default) answers.
        ``retry_seconds``: how long a write or read is retried on transient errors (a lost
        connection, a database that is starting, a leader that moved) before it fails."""
        self.uri = uri
        self.user = user
        self.database = database
        self.schema = load_schema()
        try:
            self.driver = GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=2.0, max_transaction_retry_time=retry_seconds,
                connection_acquisition_timeout=10.0,
                notifications_min_severity="OFF",  # the server's query hints are not the user's concern
            )
        except (ConfigurationError, ValueError) as exc:
            raise StoreError(f"cannot use the URI {safe_uri(uri)}: {_one_line(str(exc))}") from None
        try:
            with self._errors(connecting=True), shielded():
                self.driver.verify_connectivity()
                self.dialect = dialect.detect(self.driver.get_server_info().agent)
                with self.driver.session(database=database) as s:  # the database exists and is online
                    s.run("RETURN 1").consume()
        except BaseException:
            with shielded():
                self.driver.close()
            raise

    @contextmanager
    def _errors(self, connecting: bool = False, writing: bool = False, query: bool = False) -> Iterator[None]:
        """Turn what the driver and the server raise into one line that says what to do.
        Credentials never appear; a failed transaction was rolled back by the server, so
        what is stored stays consistent and running the same command again converges."""
        where = safe_uri(self.uri)
        db = f"database {self.database!r}" if self.database else "the default database"
        try:
            yield
        except AuthError:
            raise StoreError(f"the graph database at {where} refused the credentials for user {self.user!r}; "
                             "check GRAPHMIND_USER and GRAPHMIND_PASSWORD") from None
        except Neo4jError as exc:
            code = exc.code or ""
            if code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreError(f"the graph database at {where} has no database {self.database!r}; check --database "
                                 "or GRAPHMIND_DATABASE (SHOW DATABASES lists them)") from None
            if code == "Neo.TransientError.General.DatabaseUnavailable":
                raise StoreError(f"{db} at {where} is not available (still starting, or stopped); wait until it "
                                 "is online and run the command again") from None
            if code in ("Neo.ClientError.General.WriteOnReadOnlyAccessDatabase",  # set read-only
                        "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",  # a read replica
                        "Neo.ClientError.Cluster.NotALeader"):  # a cluster member that is not the writer
                raise StoreError(f"{db} at {where} is read-only (a read replica, or a database set read-only); "
                                 "the write was refused and rolled back: point GRAPHMIND_URI at the primary "
                                 "(neo4j:// routes writes to it) and run the command again") from None
            if code == "Neo.ClientError.Statement.AccessMode" and not writing:
                raise StoreError("the query tried to write and was rolled back; pass --write to allow writes") from None
            if query:
                raise StoreError(f"the query failed: {_one_line(exc.message or code)}") from None
            raise WorkRefused(f"the graph database at {where} refused the work: {_one_line(exc.message or code)}") from None
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            if connecting:
                raise StoreError(
                    f"cannot reach a graph database at {where}: nothing answers there; "
                    "start it (graphmind db start, or your Neo4j server) or fix GRAPHMIND_URI"
                ) from None
            lost = "while committing (the last batch may or may not be stored)" if isinstance(exc, IncompleteCommit) \
                else "(the unfinished batch was rolled back)"
            raise StoreError(f"lost the connection to the graph database at {where} {lost}; what was stored is "
                             "consistent: run the same command again to finish") from None
        except DriverError as exc:
            raise StoreError(f"the graph database at {where} failed: {_one_line(str(exc))}") from None

    def close(self) -> None:
        with shielded():
            self.driver.close()

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- sessions ---------------------------------------------------------------
    @contextmanager
    def _session(self, write: bool) -> Iterator:
        """A session, its work and its closing shielded from SIGINT / SIGTERM (``interrupts``):
        a signal during them is raised once the session is closed."""
        with shielded(), self._open(write) as s:
            yield s

    def _open(self, write: bool):
        return self.driver.session(database=self.database, default_access_mode=WRITE_ACCESS if write else READ_ACCESS)

    def read(self, query: str, **params) -> list[dict]:
        with self._errors(), self._session(False) as s:
            return s.execute_read(lambda tx: [r.data() for r in tx.run(query, **params)])

    def write(self, work: Callable) -> None:
        """Run ``work(tx)`` in one managed write transaction (retried on transient errors)."""
        with self._errors(writing=True), self._session(True) as s:
            s.execute_write(work)

    def run(self, query: str, params: dict | None = None, write: bool = False) -> tuple[list[str], list[list]]:
        """Run an ad-hoc or named query. Unless ``write``, it runs in a read transaction
        that is always rolled back, so nothing it might change is ever kept (whatever the
        server's own notion of read-only), and a query that tried to write is an error."""

        def work(tx):
            result = tx.run(query, **(params or {}))
            keys = list(result.keys())
            values = [list(r.values()) for r in result]
            return keys, values, result.consume().counters.contains_updates

        with self._errors(writing=write, query=True), self._session(write) as s:
            if write:
                keys, values, _ = s.execute_write(work)
                return keys, values
            tx = s.begin_transaction()
            try:
                keys, values, updated = work(tx)
            finally:
                tx.rollback()
        if updated:
            raise StoreError("the query tried to write and was rolled back; pass --write to allow writes")
        return keys, values

    # -- schema ----------------------------------------------------------------
    def apply_schema(self) -> None:
        """Constraints and indexes (idempotent). Commands connecting at once may race to
        create the same ones; the loser sees "already exists" and tries again."""
        text = (resource_dir("schemas") / "neo4j.cypher").read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))

        def once() -> None:
            with self._errors(writing=True), self._session(True) as s:
                for statement in (st.strip() for st in body.split(";")):
                    if statement:
                        s.run(statement).consume()
            if self.dialect.creates_types_on_first_write:
                self._create_types()

        _retry_refused(once)

    def _create_types(self) -> None:
        """Every node and relationship type ingest writes, created before any ingest: the
        server creates a type the first time a write uses it, and two commands writing the
        first units of a type at once would collide. The probe transaction is rolled back,
        so no data is written (the types stay)."""
        with self._errors(writing=True), self._session(True) as s:
            tx = s.begin_transaction()
            probe = f"__graphmind_type_probe_{os.getpid()}_{random.getrandbits(48):x}"
            try:
                for label in sorted({u.label for u in self.schema.unit_types.values()}):
                    tx.run(cypher.probe_unit(label), id=f"{probe}_{label}").consume()
                for rel in sorted(self.schema.all_rel_types):
                    tx.run(cypher.probe_relationship(rel), id=f"{probe}_{rel}_a", target=f"{probe}_{rel}_b").consume()
            finally:
                tx.rollback()

    def counts(self) -> tuple[int, int]:
        return self.read(cypher.COUNT_NODES)[0]["n"], self.read(cypher.COUNT_RELATIONSHIPS)[0]["n"]

    def clear(self) -> None:
        """Remove everything (tests and benchmarks)."""
        self.write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())

    # -- ingest ----------------------------------------------------------------
    def ingest(
        self, extractions: Iterable[Extraction], on_document: Callable[[Extraction], None] | None = None,
        manifests: dict[str, str] | None = None,
    ) -> IngestSummary:
        """Write extractions in batches. ``manifests``: document id -> what its extraction was
        made from (``graphmind.pipeline.manifest``), kept on the document node; it may be
        filled while ``extractions`` is consumed."""
        summary = IngestSummary()
        batch: list[Extraction] = []
        units = 0
        manifests = manifests if manifests is not None else {}
        for ex in extractions:
            batch.append(ex)
            units += len(ex.units)
            if on_document:
                on_document(ex)
            if len(batch) >= BATCH_DOCUMENTS or units >= 10 * BATCH_ROWS:
                self._ingest_batch(batch, summary, manifests)
                batch, units = [], 0
        if batch:
            self._ingest_batch(batch, summary, manifests)
        return summary

    def manifests(self, document_ids: list[str]) -> dict[str, str]:
        """Document id -> the manifest kept on its node, for the stored ones that have one."""
        out: dict[str, str] = {}
        for chunk in _chunks(document_ids):
            for r in self.read(cypher.DOCUMENT_MANIFESTS, ids=chunk):
                if r["made_from"] is not None:
                    out[r["id"]] = r["made_from"]
        return out

    def validate(self, ex: Extraction) -> None:
        """Reject unit and relation types outside the schema before any query is sent."""
        for u in ex.units:
            self.schema.unit_type(u.type)
        for r in ex.relations:
            rt = self.schema.relation_type(r.type)
            if r.family != rt.family:
                raise SchemaError(f"relation {r.id}: family {r.family!r} does not match type {r.type!r} ({rt.family})")

    def _ingest_batch(self, batch: list[Extraction], summary: IngestSummary, manifests: dict[str, str]) -> None:
        """One batch in one transaction. Another command writing the same documents at the
        same moment makes the server refuse one of the two transactions (a key that exists
        now, a record changed meanwhile); it was rolled back whole, so the batch is planned
        again against what is stored now and retried."""
        def once() -> IngestSummary:
            part = IngestSummary()
            self._ingest_batch_once(batch, part, manifests)
            return part

        summary.merge(_retry_refused(once))

    def _ingest_batch_once(self, batch: list[Extraction], summary: IngestSummary, manifests: dict[str, str]) -> None:
        for ex in batch:
            self.validate(ex)
        doc_ids = [ex.document.id for ex in batch]
        rows = self.read(cypher.DOCUMENT_HASHES, ids=doc_ids)
        stored_docs = {r["id"]: r["hash"] for r in rows}
        stored_made = {r["id"]: r["made_from"] for r in rows}
        prepared = [(ex, self._prepare(ex)) for ex in batch]
        changed = [(ex, prep) for ex, prep in prepared if stored_docs.get(ex.document.id) != prep["hash"]]
        refresh = []  # unchanged extractions made from other inputs (e.g. a new version): new manifest only
        for ex, prep in prepared:
            if stored_docs.get(ex.document.id) == prep["hash"]:
                summary.add("documents", "unchanged")
                summary.add("paragraphs", "unchanged", len(ex.paragraphs))
                summary.add("units", "unchanged", len(ex.units))
                summary.add("relations", "unchanged", len(ex.relations))
                made = manifests.get(ex.document.id)
                if made is not None and stored_made.get(ex.document.id) != made:
                    refresh.append({"id": ex.document.id, "made_from": made})
        if refresh:
            self.write(lambda tx: tx.run(cypher.UPDATE_MANIFESTS, rows=refresh).consume())
        if not changed:
            return
        stored_pars = {
            r["id"]: r for r in self.read(cypher.PARAGRAPH_HASHES, ids=[ex.document.id for ex, _ in changed])
        }
        plan = _Plan()
        for ex, prep in changed:
            summary.add("documents", "written")
            summary.written_documents.append(ex.document.id)
            self._plan_document(ex, prep, stored_pars, plan, summary, manifests.get(ex.document.id))
        if plan.delete_unit_paragraphs:
            plan.concept_candidates |= {
                r["id"] for r in self.read(cypher.CONCEPTS_OF_PARAGRAPHS, ids=plan.delete_unit_paragraphs)
            }
        self.write(lambda tx: self._execute(tx, plan))

    def _prepare(self, ex: Extraction) -> dict:
        """Per-paragraph records and hashes of one extraction."""
        by_par: dict[str, dict] = {p.id: {"units": [], "relations": [], "mentions": []} for p in ex.paragraphs}
        unit_par = {}
        for u in ex.units:
            by_par[u.paragraph_id]["units"].append(asdict(u))
            unit_par[u.id] = u.paragraph_id
        for r in ex.relations:
            by_par[unit_par[r.source]]["relations"].append(asdict(r))
        for c in ex.concepts:
            for uid in c.unit_ids:
                by_par[unit_par[uid]]["mentions"].append((uid, c.id))
        hashes = {}
        for p in ex.paragraphs:
            props = asdict(p)
            props.pop("index")
            recs = by_par[p.id]  # order-insensitive: the same graph hashes the same however it arrives
            hashes[p.id] = _hash([props, sorted(recs["units"], key=lambda u: u["id"]),
                                  sorted(recs["relations"], key=lambda r: r["id"]), sorted(recs["mentions"])])
        # a set, in a fixed order: the same links however they arrive (RDF keeps no order)
        links = sorted({(link_key(l.target), l.alias) for l in ex.links}, key=lambda kv: (kv[0], kv[1] or ""))
        doc = asdict(ex.document)
        doc_hash = _hash([doc, [hashes[p.id] for p in ex.paragraphs], [p.index for p in ex.paragraphs], links])
        return {"hash": doc_hash, "paragraphs": by_par, "hashes": hashes, "links": links}

    def _plan_document(self, ex: Extraction, prep: dict, stored: dict, plan: _Plan, summary: IngestSummary,
                       made_from: str | None = None) -> None:
        d = ex.document
        name = Path(d.source).stem.lower()
        plan.changed_documents.append(d.id)
        plan.documents.append({"id": d.id, "props": {
            "source": d.source, "title": d.title, "lang": d.lang, "central": d.central, "name": name,
            "title_key": d.title.lower(),
            "hash": prep["hash"], "link_keys": [k for k, _ in prep["links"]],
            # "" for no alias: Neo4j stores no list that holds a null
            "link_aliases": [a or "" for _, a in prep["links"]], "made_from": made_from,
            "paragraph_count": len(ex.paragraphs), "unit_count": len(ex.units), "relation_count": len(ex.relations),
        }})
        current = {p.id for p in ex.paragraphs}
        for pid, row in stored.items():
            if row["document_id"] == d.id and pid not in current:
                plan.delete_paragraphs.append(pid)
                plan.delete_unit_paragraphs.append(pid)
                summary.add("paragraphs", "removed")
                summary.add("units", "removed", row.get("units") or 0)
                summary.add("relations", "removed", row.get("relations") or 0)
        lang_of = {p.id: p.lang for p in ex.paragraphs}
        sections_seen: dict[str, str] = {}
        previous = None
        for p in ex.paragraphs:
            recs = prep["paragraphs"][p.id]
            h = prep["hashes"][p.id]
            old = stored.get(p.id)
            if p.section:
                path = tuple(p.section.split(" / "))
                sid = ids.section_id(d.id, path)
                if sid not in sections_seen:
                    sections_seen[sid] = p.section
                    plan.sections.append({"id": sid, "document_id": d.id, "props": {
                        "document_id": d.id, "title": path[-1], "path": p.section, "source": d.source}})
                plan.section_links.append({"id": p.id, "section_id": sid})
            if previous:
                plan.next_edges.append({"source": previous, "target": p.id})
            previous = p.id
            plan.indexes.append({"id": p.id, "index": p.index})
            if old is not None and old["hash"] == h:
                summary.add("paragraphs", "unchanged")
                summary.add("units", "unchanged", len(recs["units"]))
                summary.add("relations", "unchanged", len(recs["relations"]))
                continue
            if old is not None:  # changed extraction of the same text: replace its units
                plan.delete_unit_paragraphs.append(p.id)
                summary.add("units", "removed", old.get("units") or 0)
                summary.add("relations", "removed", old.get("relations") or 0)
            summary.add("paragraphs", "written")
            summary.add("units", "written", len(recs["units"]))
            summary.add("relations", "written", len(recs["relations"]))
            props = asdict(p)
            props.update(hash=h, source=d.source, units=len(recs["units"]), relations=len(recs["relations"]))
            plan.paragraphs.append({"id": p.id, "props": props})
            mentions: dict[str, list[str]] = defaultdict(list)
            for uid, cid in recs["mentions"]:
                mentions[uid].append(cid)
            for u in recs["units"]:
                uprops = dict(u)
                uprops.update(document_id=d.id, source=d.source, lang=p.lang)
                plan.units[self.schema.unit_type(u["type"]).label].append(
                    {"id": u["id"], "props": uprops, "concepts": sorted(mentions[u["id"]])})
            for r in recs["relations"]:
                rt = self.schema.relation_type(r["type"])
                target_label = "Concept" if rt.target == ("Concept",) else "Unit"
                plan.relations[(rt.rel, target_label)].append({
                    "id": r["id"], "source": r["source"], "target": r["target"],
                    "props": {k: r[k] for k in ("id", "type", "family", "cue", "confidence")}})
        unit_lang = {u.id: lang_of[u.paragraph_id] for u in ex.units}
        for c in ex.concepts:
            plan.concepts.setdefault(
                c.id, {"id": c.id, "label": c.label, "lemma": c.lemma, "lang": unit_lang.get(c.unit_ids[0], d.lang)})

    def _execute(self, tx, plan: _Plan) -> None:
        def run(query: str, rows: list) -> None:
            for chunk in _chunks(rows):
                tx.run(query, rows=chunk).consume()

        def run_ids(query: str, values: list) -> None:
            for chunk in _chunks(values):
                tx.run(query, ids=chunk).consume()

        run_ids(cypher.DELETE_UNITS_OF_PARAGRAPHS, plan.delete_unit_paragraphs)
        run_ids(cypher.DELETE_PARAGRAPHS, plan.delete_paragraphs)
        run_ids(cypher.DELETE_DOCUMENT_EDGES, plan.changed_documents)
        run(cypher.MERGE_DOCUMENTS, plan.documents)
        run(cypher.MERGE_SECTIONS, plan.sections)
        run(cypher.MERGE_PARAGRAPHS, plan.paragraphs)
        run(cypher.UPDATE_PARAGRAPH_INDEX, plan.indexes)
        run(cypher.LINK_SECTION_PARAGRAPHS, plan.section_links)
        run(cypher.MERGE_NEXT, plan.next_edges)
        run(cypher.MERGE_CONCEPTS, list(plan.concepts.values()))
        for label, rows in sorted(plan.units.items()):
            run(cypher.create_units(label), rows)
        for (rel, target), rows in sorted(plan.relations.items()):
            run(cypher.create_relations(rel, target), rows)
        run_ids(cypher.DELETE_ORPHAN_CONCEPTS, sorted(plan.concept_candidates))
        run_ids(cypher.DELETE_EMPTY_SECTIONS, plan.changed_documents)
        # links change only where a document did: from it and to it. Resolved in the batch's own
        # transaction, so that a run interrupted after it leaves no document without its links
        # (the next run skips the document as unchanged and would never resolve them)
        for q in cypher.RESOLVE_LINKS_FROM:
            run_ids(q, plan.changed_documents)
        run_ids(cypher.RESOLVE_LINKS_TO, plan.changed_documents)

    # -- prune -------------------------------------------------------------------
    def prune(self, exists: Callable[[str], bool] = lambda s: Path(s).exists(),
              within: Iterable[str] | None = None) -> IngestSummary:
        """Remove documents whose source file is gone; with ``within`` (sources of files or
        folders, as stored), only those stored from these paths."""
        summary = IngestSummary()
        scope = None if within is None else [s.rstrip("/") for s in within]

        def inside(source: str) -> bool:
            return scope is None or any(source == s or source.startswith(s + "/") or s == "." for s in scope)

        gone = [r["id"] for r in self.read(cypher.ALL_DOCUMENT_SOURCES)
                if inside(r["source"]) and not exists(r["source"])]
        if not gone:
            return summary
        pars = self.read(cypher.PARAGRAPH_HASHES, ids=gone)
        pids = [r["id"] for r in pars]
        concepts = {r["id"] for r in self.read(cypher.CONCEPTS_OF_PARAGRAPHS, ids=pids)} if pids else set()
        summary.add("documents", "removed", len(gone))
        summary.add("paragraphs", "removed", len(pids))
        summary.add("units", "removed", sum(r["units"] or 0 for r in pars))
        summary.add("relations", "removed", sum(r["relations"] or 0 for r in pars))

        def work(tx):
            for chunk in _chunks(pids):
                tx.run(cypher.DELETE_UNITS_OF_PARAGRAPHS, ids=chunk).consume()
                tx.run(cypher.DELETE_PARAGRAPHS, ids=chunk).consume()
            for chunk in _chunks(gone):
                tx.run(cypher.DELETE_SECTIONS_OF_DOCUMENTS, ids=chunk).consume()
                tx.run(cypher.DELETE_DOCUMENTS, ids=chunk).consume()
            for chunk in _chunks(sorted(concepts)):
                tx.run(cypher.DELETE_ORPHAN_CONCEPTS, ids=chunk).consume()

        self.write(work)
        return summary

    # -- reading back ---------------------------------------------------------------
    def document_ids(self) -> list[str]:
        return [r["id"] for r in self.read(cypher.ALL_DOCUMENT_IDS)]

    def stored_counts(self, document_ids: list[str]) -> dict[str, int]:
        """Paragraphs, units and relations stored for these documents."""
        out = {"paragraphs": 0, "units": 0, "relations": 0}
        uncounted = []  # stored before documents kept their counts
        for chunk in _chunks(document_ids):
            for r in self.read(cypher.DOCUMENT_COUNTS, ids=chunk):
                if r["paragraphs"] is None:
                    uncounted.append(r["id"])
                    continue
                for k in out:
                    out[k] += r[k] or 0
        for chunk in _chunks(uncounted):
            for r in self.read(cypher.STORED_COUNTS, ids=chunk):
                for k in out:
                    out[k] += r[k] or 0
        return out

    def pages(self, document_ids: list[str] | None = None, size: int = PAGE_DOCUMENTS,
              on_page: Callable[[int], None] | None = None) -> Iterator["Page"]:
        """The graph a page of documents at a time (in id order): each page's nodes — its
        documents, sections, paragraphs, units and the concepts they mention (a concept in
        every page that mentions it), and the symbols that touch them (a symbol once, in the
        first page that touches it, with all its member edges) — and the edges leaving its
        documents' nodes (their targets may lie in other pages). Memory stays that of one page."""
        ids_ = sorted(document_ids) if document_ids is not None else self.document_ids()
        yield from self.pages_of((ids_[k:k + size] for k in range(0, len(ids_), size)), on_page)

    def pages_of(self, chunks: Iterable[list[str]], on_page: Callable[[int], None] | None = None) -> Iterator["Page"]:
        """Like ``pages``, with the documents of each page given, in the order given."""
        seen_symbols: set[str] = set()
        # a concept is read once and given (a copy of it) to every page that mentions it: pages of
        # one vault mention mostly the same few thousand concepts
        known: dict[str, list[tuple]] = {}
        # no symbol stored (a store that was only ingested): no page asks which symbols touch it
        symbols_stored = bool(self.read(cypher.ANY_SYMBOL))
        for chunk in chunks:
            chunk = list(chunk)
            nodes, edges = [], []
            with self._session(False) as s:
                for q in cypher.PAGE_NODES:  # rows (id, labels, props), (source, type, target, props)
                    nodes.extend(s.execute_read(lambda tx: [tuple(r) for r in tx.run(q, ids=chunk)]))
                for q in cypher.PAGE_EDGES:
                    edges.extend(s.execute_read(lambda tx: [tuple(r) for r in tx.run(q, ids=chunk)]))
                concepts = sorted({e[2] for e in edges if e[1] in ("MENTIONS", "DEFINES")})
                missing = [c for c in concepts if c not in known]
                if missing:
                    if len(known) + len(missing) > CONCEPTS_KEPT:
                        known.clear()
                        missing = concepts
                    for row in s.execute_read(lambda tx: [tuple(r) for r in tx.run(cypher.CONCEPT_NODES, ids=missing)]):
                        known.setdefault(row[0], []).append(row)
                nodes.extend((cid, list(labels), dict(props)) for c in concepts for cid, labels, props in known.get(c, ()))
                # each symbol once, in the first page that touches it, with all its member edges
                symbols = sorted({i for q in cypher.PAGE_SYMBOL_IDS for i in s.execute_read(
                    lambda tx: [r["id"] for r in tx.run(q, ids=chunk, concepts=concepts)])} - seen_symbols
                                 ) if symbols_stored else []
                if symbols:
                    seen_symbols.update(symbols)
                    nodes.extend(s.execute_read(lambda tx: [tuple(r) for r in tx.run(cypher.SYMBOL_NODES, ids=symbols)]))
                    edges.extend(s.execute_read(lambda tx: [tuple(r) for r in tx.run(cypher.SYMBOL_EDGES, ids=symbols)]))
            nodes.sort(key=lambda n: n[0] or "")
            edges.sort(key=lambda e: (e[0] or "", e[1], e[2] or ""))
            yield Page(chunk, nodes, edges)
            if on_page:
                on_page(len(chunk))

    def _stream(self, query: str, row, **params) -> Iterator[tuple]:
        """Rows of a read query as they arrive (the driver fetches them in batches). Each
        batch is taken from the driver shielded from SIGINT / SIGTERM (``interrupts``), the
        caller's work between rows is not; the transaction is closed when the rows end or
        the caller stops."""
        with shielded():
            s = self._open(False)
            try:
                tx = s.begin_transaction()
                result = tx.run(query, **params)
            except BaseException:
                s.close()
                raise
        try:
            while True:
                with shielded():
                    batch = result.fetch(STREAM_BATCH)
                if not batch:
                    return
                for r in batch:
                    yield row(r)
        finally:
            with shielded():
                try:
                    tx.close()
                finally:
                    s.close()

    def whole(self) -> "Page":
        """The whole graph as one page whose nodes and edges are streamed from the server in
        the server's order (no ORDER BY: a server may refuse to sort a whole graph in its
        heap); ``load_graph`` sorts them, writers that need an order use ``pages``."""
        nodes = self._stream(cypher.ALL_NODES, lambda r: (r["id"], r["labels"], r["props"]))
        edges = self._stream(cypher.ALL_EDGES, lambda r: (r["source"], r["type"], r["target"], r["props"]))
        return Page(None, nodes, edges)

    def load_graph(self, document_id: str | None = None, documents: list[str] | None = None,
                   on_page: Callable[[int], None] | None = None) -> MeaningGraph:
        """The whole graph, one document's subgraph or some documents' (with the concepts
        their units mention), with every property, as a ``MeaningGraph`` (networkx's
        interface for reading, a fraction of its memory). Rows are taken as they arrive, so
        no copy of the whole result sits beside the graph."""
        if document_id is not None:
            documents = [document_id]
        if documents is None:
            page = self.whole()
            nodes = []
            for n in page.nodes:
                if on_page and "Document" in n[1]:
                    on_page(1)
                nodes.append(n)
            edges = list(page.edges)
        else:
            nodes, edges, seen = [], [], set()
            for page in self.pages(documents, on_page=on_page):
                nodes.extend(n for n in page.nodes if n[0] not in seen)
                seen.update(n[0] for n in page.nodes)
                edges.extend(page.edges)
        return graph_of(nodes, edges)


def graph_of(nodes: list[tuple], edges: list[tuple]) -> MeaningGraph:
    """A ``MeaningGraph`` of node rows (id, labels, properties) and edge rows (source, type,
    target, properties), as ``load_graph`` builds it: nodes in id order, edges by (source,
    type, target), an edge only when both its ends are among the nodes. Empties the lists
    as it goes and takes the property dicts over."""
    g = MeaningGraph()
    nodes.sort(key=lambda n: n[0] or "", reverse=True)
    while nodes:
        nid, labels, props = nodes.pop()
        props["labels"] = sorted(labels)
        g.add_node(nid, **props)
    edges.sort(key=lambda e: (e[0] or "", e[1], e[2] or ""), reverse=True)
    while edges:
        source, rel, target, props = edges.pop()
        if source in g and target in g:
            props["rel"] = rel
            g.add_edge(source, target, key=props.get("id") or rel, **props)
    return g


@dataclass
class Page:
    """Some documents' part of the graph: nodes (id, labels, properties) and edges (source,
    type, target, properties), each sorted."""

    document_ids: list[str]
    nodes: list[tuple]
    edges: list[tuple]

    @classmethod
    def of_graph(cls, g: nx.MultiDiGraph) -> "Page":
        """A networkx graph (as from ``load_graph``) as one page."""
        nodes = [(n, d.get("labels", ()), {k: v for k, v in d.items() if k != "labels"}) for n, d in g.nodes(data=True)]
        edges = [(a, d.get("rel"), b, {k: v for k, v in d.items() if k != "rel"}) for a, b, d in g.edges(data=True)]
        docs = [n for n, labels, _ in nodes if "Document" in labels]
        return cls(docs, nodes, edges)


# -- choosing the database --------------------------------------------------------
@contextmanager
def open_store(uri: str | None = None, data_dir: str | os.PathLike | None = None,
               apply_schema: bool = True, database: str | None = None) -> Iterator[GraphStore]:
    """Connect to ``uri`` / ``GRAPHMIND_URI`` (credentials from the environment), or to
    the bundled local server: the running one, or one started for this call and stopped
    afterwards. ``database`` / ``GRAPHMIND_DATABASE``: a database of a multi-database server
    (unset: the server's default; the bundled server's is ``graphmind``)."""
    uri = uri or os.environ.get("GRAPHMIND_URI")
    database = database or os.environ.get("GRAPHMIND_DATABASE") or None
    lease = None
    try:
        if uri:
            store = GraphStore(
                uri,
                os.environ.get("GRAPHMIND_USER", "neo4j"),
                os.environ.get("GRAPHMIND_PASSWORD", ""),
                database,
            )
        else:
            lease = server.acquire(data_dir)
            state = lease.state
            store = GraphStore(state.uri, state.user, state.password, database or state.database)
        try:
            if apply_schema:
                store.apply_schema()
            yield store
        finally:
            store.close()
    finally:
        if lease is not None:  # also on Ctrl-C and SIGTERM: the last command out stops a server started for it
            lease.release()
