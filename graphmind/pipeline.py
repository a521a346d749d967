"""Extraction of many notes: on every core, in order, and only what changed.

- ``plan``: the readable files under the paths, in the reader's order, and for each one the
  *manifest* of what its extraction is made from — the file's content hash, the extractor
  (name and options), the extractor's version (GraphMind's version and a hash of the reader's
  and the parser's code), the weights and the language data. A stored document whose
  manifest is the same is not extracted again: an unchanged note costs a stat and a hash.
- ``extract_sources``: one Extraction per file, in the order of the files. With ``jobs`` > 1
  the rules extractor runs in worker processes started once for the run (each loads its
  pipeline once); the caller (one writer) receives the results in order, so the output is
  the same as with one job.

The LLM extractors run in the calling process (their requests are concurrent already).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__, ids
from .exceptions import InputError

# Below this many notes to extract, one process does the work: starting a worker (Python,
# spaCy, the Russian dictionaries) costs more than it saves.
MIN_PARALLEL = 48
IN_FLIGHT_PER_JOB = 8  # notes handed out ahead of the writer, per worker (bounds memory)
_PACKAGE = Path(__file__).resolve().parent


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# -- what an extraction is made from ------------------------------------------------
def _hash_files(files: Iterable[Path]) -> str:
    h = hashlib.blake2b(digest_size=10)
    for f in sorted(files):
        h.update(f.relative_to(_PACKAGE.parent).as_posix().encode())
        h.update(b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


@lru_cache(maxsize=None)
def code_version() -> str:
    """GraphMind's version and a hash of the code an extraction depends on (reader, parser,
    ids, records, schema)."""
    files = [p for sub in ("read", "extract") for p in (_PACKAGE / sub).rglob("*") if p.is_file()
             and p.suffix in (".py", ".txt", ".json")]
    files += [_PACKAGE / name for name in ("ids.py", "model.py", "schema.py")]
    files += [_PACKAGE.parent / "schemas" / "graph.json"] if (_PACKAGE.parent / "schemas" / "graph.json").exists() \
        else []
    return f"{__version__}+{_hash_files(files)}"


@lru_cache(maxsize=None)
def language_data_hash() -> str:
    """The language data (cues, lexicons, shipped weights) and the versions of the libraries
    whose data shapes an extraction (spaCy's tokenizer, the Russian dictionaries)."""
    from importlib import metadata

    files = [p for p in (_PACKAGE / "lang").rglob("*") if p.is_file() and p.suffix in (".py", ".json")]
    versions = []
    for dist in ("spacy", "pymorphy3", "pymorphy3-dicts-ru"):
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=none")
    return f"{_hash_files(files)}:{hashlib.blake2b(' '.join(versions).encode(), digest_size=6).hexdigest()}"


def weights_hash(weights_path: str | None) -> str:
    if weights_path:
        try:
            data = Path(weights_path).read_bytes()
        except OSError as exc:
            raise InputError(f"{weights_path}: cannot read the weights ({exc.strerror}); check the path") from None
        return "file:" + hashlib.blake2b(data, digest_size=10).hexdigest()
    return "shipped:" + _hash_files([p for p in (_PACKAGE / "lang").rglob("weights.json")])


@dataclass(frozen=True)
class ExtractorSpec:
    """How to build the extractor: picklable, so each worker builds its own."""

    name: str = "rules"
    lang: str = "auto"
    input_format: str = "auto"
    weights_path: str | None = None
    options: tuple = ()  # anything else the output depends on (model, prompt version), as (key, value)

    def with_input_format(self, input_format: str) -> "ExtractorSpec":
        from dataclasses import replace

        return replace(self, input_format=input_format)

    def build(self):
        from .extract.rules import RuleExtractor

        weights = None
        if self.weights_path:
            from .extract.scorer import load_weights

            weights = load_weights(self.weights_path)
        return RuleExtractor(lang=self.lang, weights=weights)

    def fingerprint(self) -> dict:
        """The parts of a manifest that are the same for every note of the run."""
        options = " ".join(f"{k}={v}" for k, v in (("lang", self.lang), ("input", self.input_format),
                                                     *self.options))
        return {"extractor": f"{self.name} {options}", "version": code_version(),
                "weights": weights_hash(self.weights_path), "language_data": language_data_hash()}


def manifest(file_hash: str, fingerprint: dict) -> str:
    """What one stored document was made from, as the JSON text kept on its node."""
    return json.dumps({"file": file_hash, **fingerprint}, sort_keys=True, ensure_ascii=False)


def file_hash(path: Path) -> str | None:
    """None for what is not a regular file (opening a pipe would wait for a writer): the
    reader reports it."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as f:
            return hashlib.file_digest(f, lambda: hashlib.blake2b(digest_size=16)).hexdigest()
    except OSError:
        return None  # the reader reports it


# -- the plan -------------------------------------------------------------------------
@dataclass
class Source:
    path: Path
    source: str  # as stored: the normalised path with forward slashes
    document_id: str
    manifest: str | None = None


@dataclass
class Plan:
    todo: list[Source] = field(default_factory=list)  # to extract, in reading order
    unchanged: list[Source] = field(default_factory=list)  # stored from the same inputs: skipped
    skipped: list[str] = field(default_factory=list)  # notes about files that are not notes

    @property
    def document_ids(self) -> list[str]:
        """Every document read from the paths (extracted or unchanged)."""
        return [s.document_id for s in self.todo] + [s.document_id for s in self.unchanged]


def source_name(path: Path) -> str:
    return Path(os.path.normpath(path)).as_posix()


def plan(paths: Iterable[str], spec: ExtractorSpec | None = None,
         stored: Callable[[list[str]], dict[str, str]] | None = None, force: bool = False) -> Plan:
    """The files under ``paths`` in reading order. With ``stored`` (document ids → the
    manifests kept in the store), a file whose manifest is unchanged goes to ``unchanged``."""
    from .read import iter_sources

    out = Plan()
    found: list[Source] = []
    for path, note in iter_sources(paths):
        if path is None:
            out.skipped.append(note)
            continue
        name = source_name(path)
        found.append(Source(path, name, ids.document_id(name)))
    if spec is None or stored is None:
        out.todo = found
        return out
    fingerprint = spec.fingerprint()
    for s in found:
        h = file_hash(s.path)
        s.manifest = manifest(h, fingerprint) if h else None
    kept = {} if force else stored([s.document_id for s in found if s.manifest])
    for s in found:
        (out.unchanged if s.manifest is not None and kept.get(s.document_id) == s.manifest else out.todo).append(s)
    return out


# -- extraction -------------------------------------------------------------------------
@dataclass
class Outcome:
    """What reading and extracting one file gave."""

    extraction: object | None  # Extraction
    error: str | None = None
    left_out: dict = field(default_factory=dict)


def extract_one(extractor, path: Path, input_format: str) -> Outcome:
    from .read import read_note

    from .exceptions import DocumentFailed

    try:
        note = read_note(Path(path), input_format)
    except InputError as exc:
        return Outcome(None, str(exc))
    # a document whose extraction failed (the model: every paragraph), or an unexpected error
    # on this one note, is one line and the run goes on; the stored version is kept
    extraction = extractor.extract_or_error(note)
    if isinstance(extraction, DocumentFailed):
        return Outcome(None, str(extraction), dict(note.skipped))
    return Outcome(extraction, None, dict(note.skipped))


def _extract_ahead(extractor, sources: list[Source], input_format: str) -> Iterator[tuple[Source, Outcome]]:
    """(source, outcome) in order, through ``extractor.extract_notes``, which works ahead
    across notes (the LLM extractor keeps its requests in flight over note boundaries); a
    note that cannot be read is its own outcome, in its place."""
    from .exceptions import DocumentFailed
    from .read import read_note

    queue: deque = deque()  # (source, note or None, error, skipped), in reading order

    def notes():
        for s in sources:
            try:
                note = read_note(Path(s.path), input_format)
            except InputError as exc:
                queue.append((s, None, str(exc), {}))
                continue
            queue.append((s, note, None, dict(note.skipped)))
            yield note

    for extraction in extractor.extract_notes(notes()):
        while queue[0][1] is None:
            s, _, error, _ = queue.popleft()
            yield s, Outcome(None, error)
        s, _, _, skipped = queue.popleft()
        if isinstance(extraction, DocumentFailed):  # every paragraph failed: one line, nothing stored
            yield s, Outcome(None, str(extraction), skipped)
        else:
            yield s, Outcome(extraction, None, skipped)
    while queue:  # unreadable notes after the last one extracted
        s, _, error, _ = queue.popleft()
        yield s, Outcome(None, error)


_WORKER: dict = {}


def _die_with_parent() -> None:
    """A worker ends when the command that started it does, however that ends (``kill -9``
    left the workers waiting for tasks forever): Linux's parent-death signal."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() == 1:  # the parent died before the call
        os._exit(0)


def _start_worker(spec: ExtractorSpec) -> None:
    """In each worker, once: build the extractor and load both languages' pipelines."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    _die_with_parent()
    extractor = spec.build()
    for lang in ("en", "ru"):
        extractor.nlp(lang)
        from .extract.morph import morphology

        morphology(lang)
    _WORKER["extractor"] = extractor
    _WORKER["input_format"] = spec.input_format


def _work(paths: list[str]) -> list[Outcome]:
    extractor, fmt = _WORKER["extractor"], _WORKER["input_format"]
    return [extract_one(extractor, Path(p), fmt) for p in paths]


def extract_sources(sources: list[Source], extractor, spec: ExtractorSpec, jobs: int,
                    on_outcome: Callable[[Source, Outcome], None] | None = None) -> Iterator[tuple[Source, Outcome]]:
    """(source, outcome) per file, in the order of ``sources``. ``jobs`` > 1 (and enough
    notes) runs the rules extractor in that many worker processes; ``extractor`` is used in
    this process otherwise."""
    jobs = min(jobs, len(sources))
    if spec.name != "rules":  # the model's extractor: one request pool across notes, in this process
        yield from _extract_ahead(extractor, sources, spec.input_format)
        return
    if jobs <= 1 or len(sources) < MIN_PARALLEL:
        for s in sources:
            yield s, extract_one(extractor, s.path, spec.input_format)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = 2 if len(sources) < 200 else 4  # notes per task: fewer round trips, still balanced
    tasks = [sources[k:k + chunk] for k in range(0, len(sources), chunk)]
    window = max(2, jobs * IN_FLIGHT_PER_JOB // chunk)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
                               initargs=(spec,))
    try:
        pending: deque = deque()
        todo = iter(tasks)
        for task in todo:
            pending.append((task, pool.submit(_work, [str(s.path) for s in task])))
            if len(pending) >= window:
                break
        while pending:
            task, future = pending.popleft()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_work, [str(s.path) for s in nxt])))
            for s, outcome in zip(task, future.result()):
                yield s, outcome
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
