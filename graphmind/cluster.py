"""Extraction of a large corpus on a Dask cluster (``graphmind extract --engine dask``).

The corpus — folders of notes, or JSON Lines / Parquet files of documents with a ``text``
column (and ``source``, ``title`` when there are) — is cut into shards of documents; each
shard is one task on the cluster (``distributed``): its worker builds the extractor once
(kept for the worker's life), extracts the shard's documents in order and writes
``part-NNNNN.jsonl`` (one complete extraction per document per line, as ``extract --format
jsonl``) or ``part-NNNNN.parquet`` (one row per record: ``section`` and the record as JSON,
with its document id) into the output folder, which every worker must reach (a shared
file system or object store mount). The records are the ones ``graphmind extract`` gives for
the same documents.

Without ``--scheduler`` a ``LocalCluster`` of ``workers`` processes runs on this machine.
Needs the ``cluster`` extra: ``pip install 'graphmind[cluster]'`` (dask, distributed, pyarrow).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .exceptions import GraphMindError, InputError
from .pipeline import ExtractorSpec

SHARD_DOCUMENTS = 64


@dataclass
class Result:
    documents: int = 0
    shards: int = 0
    errors: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _documents(paths) -> list[dict]:
    """What each task reads: {"path"} for a note file, {"source", "text", "title"} for a
    document from a JSON Lines or Parquet corpus."""
    from .read import iter_sources

    out: list[dict] = []
    for raw in paths:
        p = Path(raw)
        if p.is_file() and p.suffix.lower() == ".jsonl":
            with p.open(encoding="utf-8") as f:
                for k, line in enumerate(f):
                    if line.strip():
                        try:
                            rec = json.loads(line)
                        except json.JSONDecodeError as exc:
                            raise InputError(f"{p}:{k + 1}: not JSON ({exc.msg})") from None
                        out.append(_corpus_record(rec, f"{p.as_posix()}#{k + 1}"))
        elif p.is_file() and p.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(p)
            for k, rec in enumerate(table.to_pylist()):
                out.append(_corpus_record(rec, f"{p.as_posix()}#{k + 1}"))
        else:
            for path, _ in iter_sources([raw]):
                if path is not None:
                    out.append({"path": str(path)})
    return out


def _corpus_record(rec: dict, where: str) -> dict:
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise InputError(f"{where}: a corpus record needs a \"text\" string")
    return {"source": str(rec.get("source") or rec.get("id") or where), "text": rec["text"],
            "title": rec.get("title")}


_EXTRACTORS: dict = {}


def _extractor(spec: ExtractorSpec):
    """The worker's extractor, built once per worker process."""
    found = _EXTRACTORS.get(spec)
    if found is None:
        found = _EXTRACTORS[spec] = spec.build()
    return found


def extract_shard(index: int, docs: list[dict], spec: ExtractorSpec, out_dir: str, shard_format: str) -> dict:
    """One task: extract ``docs`` in order and write shard ``index``; counts and errors."""
    from .pipeline import extract_one

    extractor = _extractor(spec)
    lines, errors = [], []
    for d in docs:
        if "path" in d:
            outcome = extract_one(extractor, Path(d["path"]), spec.input_format)
            if outcome.error:
                errors.append(outcome.error)
                continue
            ex = outcome.extraction
        else:
            ex = extractor.extract_text(d["text"], source=d["source"], title=d.get("title"))
        data: dict[str, list] = {s: [] for s in ex.SECTIONS}
        for section, record in ex.records():
            data[section].append(record)
        lines.append(data)
    name = f"part-{index:05d}.{shard_format}"
    final = Path(out_dir) / name
    tmp = final.with_name(f".{name}.part")
    if shard_format == "jsonl":
        with tmp.open("w", encoding="utf-8") as f:
            for data in lines:
                f.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = {"document_id": [], "section": [], "record": []}
        for data in lines:
            did = data["documents"][0]["id"]
            for section, records in data.items():
                for record in records:
                    rows["document_id"].append(did)
                    rows["section"].append(section)
                    rows["record"].append(json.dumps(record, ensure_ascii=False))
        pq.write_table(pa.table(rows), tmp)
    os.replace(tmp, final)
    return {"documents": len(lines), "errors": errors, "file": name}


def extract(paths, out_dir: str, scheduler: str | None = None, workers: int = 2, spec: ExtractorSpec | None = None,
            shard_format: str = "jsonl", shard_documents: int = SHARD_DOCUMENTS, progress=None) -> Result:
    """Extract the corpus under ``paths`` on a Dask cluster into shards in ``out_dir``."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise GraphMindError("--engine dask needs Dask: pip install 'graphmind[cluster]' (dask, distributed, "
                             "pyarrow)") from None
    if shard_format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise GraphMindError("--shard-format parquet needs pyarrow: pip install 'graphmind[cluster]'") from None
    spec = spec or ExtractorSpec()
    docs = _documents(paths)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    shards = [docs[k:k + shard_documents] for k in range(0, len(docs), shard_documents)]
    result = Result(shards=len(shards))
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    bar = progress.stage("dask extract", total=len(docs), unit="documents") if progress else None
    try:
        futures = [client.submit(extract_shard, k, shard, spec, str(Path(out_dir).resolve()), shard_format,
                                 key=f"graphmind-shard-{k}", pure=False) for k, shard in enumerate(shards)]
        done = {}
        for future in as_completed(futures):
            r = future.result()
            done[r["file"]] = r
            if bar:
                bar.advance(r["documents"] + len(r["errors"]))
        for name in sorted(done):  # errors in the corpus's order
            result.documents += done[name]["documents"]
            result.errors.extend(done[name]["errors"])
            result.files.append(name)
    finally:
        if bar:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    return result
