"""The ``graphmind`` command line: a thin layer over the library functions."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from contextlib import contextmanager
from typing import Iterator

import click

from . import __version__, fsio, interrupts
from . import queries as query_library
from .exceptions import GraphMindError
from .interrupts import Interrupted
from .store import server

# Heavy libraries (spaCy, numpy, the neo4j driver, networkx, rdflib) are imported inside the
# commands that use them, so `graphmind --help`, `--version` and argument errors start at once.


def fail(message: str, code: int = 1) -> None:
    click.echo(f"graphmind: error: {message}", err=True)
    sys.exit(code)


# SIGINT / SIGTERM: raised as Interrupted where the command is, never inside a driver call
_on_signal = interrupts.on_signal


INTERRUPTED_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


class GraphMindGroup(click.Group):
    """The command group: everything printed on standard error has credentials masked;
    SIGINT and SIGTERM end the command with one line and exit status 130 or 143, after its
    clean-up; a file-system error is one line."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        import threading

        from .redact import RedactingStream

        handlers = None
        if threading.current_thread() is threading.main_thread():
            handlers = (signal.signal(signal.SIGINT, _on_signal), signal.signal(signal.SIGTERM, _on_signal))
        stderr = sys.stderr
        sys.stderr = RedactingStream(stderr)
        stdout_failed = False
        try:
            try:
                rv = super().main(args, prog_name, complete_var, standalone_mode=standalone_mode, **extra)
            except SystemExit:
                sys.stdout.flush()  # a full disk under standard output shows here at the latest
                raise
            sys.stdout.flush()
            return rv
        except Interrupted as exc:
            name = signal.Signals(exc.signum).name
            click.echo(f"graphmind: interrupted by {name}: outputs were left as they were and what was stored "
                       "is consistent; run the command again to finish", err=True)
            sys.exit(INTERRUPTED_CODES.get(exc.signum, 128 + exc.signum))
        except OSError as exc:
            from .fsio import output_error

            if exc.filename:
                message = str(output_error(exc.filename, exc))
            else:
                stdout_failed = True
                message = (f"cannot write to standard output ({exc.strerror or exc}); free some space or "
                           "write to a file with -o / --out")
            click.echo(f"graphmind: error: {message}", err=True)
            sys.exit(1)
        finally:
            if stdout_failed:  # what is still buffered cannot be written either: drop it quietly
                import os

                sys.stdout = open(os.devnull, "w")
            sys.stderr = stderr
            if handlers:
                signal.signal(signal.SIGINT, handlers[0])
                signal.signal(signal.SIGTERM, handlers[1])


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn GraphMind's own errors into one line on stderr and exit status 1."""
    try:
        yield
    except GraphMindError as exc:
        fail(str(exc))


def report_problems(report: RunReport) -> None:
    for note in report.notes:
        click.echo(f"graphmind: note: {note}", err=True)
    if report.left_out_line():
        click.echo(f"graphmind: note: {report.left_out_line()}", err=True)
    for error in report.errors:
        click.echo(f"graphmind: error: {error}", err=True)


def progress(iterable, desc: str, unit: str = "doc"):
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, unit=unit, file=sys.stderr, disable=None, leave=False)


def make_progress(quiet: bool):
    from .progress import Progress

    return Progress(quiet=quiet)


quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="No progress lines and no summary (errors and warnings still show).")
jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, envvar="GRAPHMIND_JOBS",
    help="Worker processes for extraction [default: $GRAPHMIND_JOBS, else every core]. Each worker loads the "
         "pipeline once; one writer takes the results in order, so the output is the same for any N. Runs with "
         "fewer than 48 notes to extract stay in one process.")


def extractor_options(f):
    opts = [
        click.option("--extractor", "extractor_name", type=click.Choice(["rules", "llm", "hybrid"]), default="rules",
                     show_default=True,
                     help="rules: offline spaCy rules; llm: an OpenAI-compatible model (GRAPHMIND_LLM_BASE_URL, "
                          "GRAPHMIND_LLM_MODEL, OPENAI_API_KEY or GRAPHMIND_LLM_API_KEY); hybrid: rules first, "
                          "the model confirms, retypes and adds."),
        click.option("--fallback", type=click.Choice(["none", "rules"]), default="none", show_default=True,
                     help="rules: extract paragraphs the model could not do with the rules."),
        click.option("--estimate", is_flag=True,
                     help="Print how many model requests and about how many tokens the run would take; call nothing."),
        click.option("--llm-concurrency", type=int, default=None,
                     help="Requests at once, across paragraphs and files; a server that answers one at a time "
                          "queues the rest [$GRAPHMIND_LLM_CONCURRENCY or 4]."),
        click.option("--llm-timeout", type=float, default=None,
                     help="Seconds per request, counting its wait in the server's queue "
                          "[$GRAPHMIND_LLM_TIMEOUT or 60]."),
        click.option("--llm-max-retries", type=int, default=None,
                     help="Retries on 429, 5xx and timeouts [$GRAPHMIND_LLM_MAX_RETRIES or 3]."),
        click.option("--weights", "weights_path", type=click.Path(dir_okay=False), default=None,
                     envvar="GRAPHMIND_WEIGHTS",
                     help="Parser weights made by `graphmind train` [default: $GRAPHMIND_WEIGHTS, else the "
                          "weights shipped with GraphMind]."),
        click.option("--llm-structured", type=click.Choice(["auto", "json_schema", "json_object", "none"]),
                     default=None,
                     help="How the answer's JSON Schema goes in the request: json_schema (response_format "
                          "json_schema, strict), json_object (response_format json_object with a 'schema' key, "
                          "as llama.cpp servers take it), none (JSON asked for in the prompt, checked and "
                          "repaired once); auto probes the server once and remembers per URL "
                          "[$GRAPHMIND_LLM_STRUCTURED or auto]."),
        click.option("--llm-max-tokens", type=int, default=None,
                     help="Longest answer per request [$GRAPHMIND_LLM_MAX_TOKENS; default: four times the "
                          "paragraph's approximate tokens plus 200]."),
        click.option("--llm-tokenizer", default=None,
                     help="What --estimate counts tokens with: 'approx' (built in), the model's .gguf file, a "
                          "tokenizer.json, or tiktoken:NAME [$GRAPHMIND_LLM_TOKENIZER or approx]."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


class ChosenExtractor:
    """The extractor a command asked for, and what its run reports afterwards."""

    def __init__(self, name, lang, fallback, data_dir=None, weights_path=None, **llm):
        self.llm_report = None
        self.prices = None
        self.fallback = None if fallback == "none" else fallback
        from .pipeline import ExtractorSpec

        self.name, self.lang, self.weights_path = name, lang, weights_path
        self.spec = ExtractorSpec(name, lang, "auto", weights_path)
        weights = None
        if weights_path:
            from .extract.scorer import load_weights

            weights = load_weights(weights_path)
        if name == "rules":
            self._extractor = None  # built on first use: with workers, this process never needs it
            return
        from .extract.llm import LLMConfig, LLMExtractor, LLMReport

        cfg = LLMConfig.from_env(**{key[len("llm_"):]: value for key, value in llm.items()})
        if data_dir:
            cfg.cache_dir = str(Path(data_dir) / "llm-cache")
        self.prices = cfg.prices
        self.llm_report = LLMReport()
        self.bar = progress(None, "model", unit="par")
        self.extractor = LLMExtractor(cfg, mode=name, fallback=self.fallback, lang=lang, report=self.llm_report,
                                      progress=self.bar)
        self.extractor.weights = weights
        from .extract.llm import PROMPT_VERSION

        # what the model's output depends on goes into each document's manifest
        self.spec = ExtractorSpec(name, lang, "auto", weights_path, (
            ("model", cfg.model or ""), ("base_url", cfg.base_url or ""), ("prompt", PROMPT_VERSION),
            ("structured", cfg.structured), ("fallback", fallback)))

    @property
    def extractor(self):
        if getattr(self, "_extractor", None) is None:
            self._extractor = self.spec.build()
        return self._extractor

    @extractor.setter
    def extractor(self, value):
        self._extractor = value

    def estimate(self, paths) -> None:
        from .read import iter_sources, read_note
        from . import ids

        if self.llm_report is None:
            click.echo("0 requests: the rules extractor calls no model")
            return
        requests = tokens_in = tokens_out = 0
        for path, _ in iter_sources(paths):
            if path is None:
                continue
            try:
                note = read_note(path)
            except GraphMindError:
                continue
            r, t_in, t_out = self.extractor.estimate_tokens(
                self.extractor.paragraphs_of(note, ids.document_id(note.source)))
            requests, tokens_in, tokens_out = requests + r, tokens_in + t_in, tokens_out + t_out
        price = ""
        if self.prices:
            price = (f"; about {(tokens_in * self.prices[0] + tokens_out * self.prices[1]) / 1_000_000:.4f} "
                     "in cost")
        counter = self.extractor.config.tokenizer or "approx"
        click.echo(f"{requests} request{'s' if requests != 1 else ''} to the model, about "
                   f"{tokens_in + tokens_out} tokens ({tokens_in} in, {tokens_out} out; counted with "
                   f"{counter}; cached paragraphs left out){price}")

    def finish(self) -> bool:
        """Print the model's summary; True when some paragraph failed with no fallback."""
        if self.llm_report is None:
            return False
        self.bar.close()
        for line in self.llm_report.lines(self.prices):
            click.echo(f"graphmind: {line}", err=True)
        return bool(self.llm_report.failures) and self.fallback is None


force_option = click.option(
    "--force", is_flag=True,
    help="Extract every note again, even those stored from the same file, extractor, weights and language data.")

input_format_option = click.option(
    "--input-format", type=click.Choice(["auto", "markdown", "text"]), default="auto", show_default=True,
    help="How to read files: auto reads .md as Markdown and a .txt (or extension-less) file as Markdown when "
         "its content is Markdown (callouts, headings, lists, fences, wikilinks, comments), else as plain text.")

lang_option = click.option(
    "--lang",
    type=click.Choice(["auto", "en", "ru"]),
    default="auto",
    show_default=True,
    help="Language of the notes; 'auto' detects it per paragraph from the script.",
)


@click.group(cls=GraphMindGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphmind")
def main() -> None:
    """GraphMind: turn notes into a meaning graph, and the graph into training data.

    Reads Markdown/Obsidian notes and plain text (English and Russian), finds claims,
    premises, conclusions, metaphors, definitions, examples, analogies and questions,
    and links them with typed relations (supports, attacks, illustrates, ...).
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@lang_option
@input_format_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: one object with six arrays; jsonl: one complete extraction per document per line.",
)
@click.option("-o", "--output", type=click.Path(allow_dash=True), default="-",
              help="Write here instead of standard output: whole or not at all (nothing is written, and the "
                   "exit status is 1, when no document was extracted).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this machine's cores (--jobs); dask: a Dask cluster (--scheduler), writing shards "
                   "into --out-dir (see README: a cluster).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="dask: the scheduler's address, e.g. tcp://10.0.0.5:8786 [default: a local cluster of --jobs "
                   "workers].")
@click.option("--out-dir", default=None, type=click.Path(file_okay=False),
              help="dask: folder for the shards (part-00000.jsonl or .parquet ...).")
@click.option("--shard-format", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True,
              help="dask: one JSON line per document, or Parquet tables (one row per record).")
@jobs_option
@quiet_option
@extractor_options
def extract(paths: tuple[str, ...], lang: str, input_format: str, fmt: str, output, engine, scheduler, out_dir,
            shard_format, jobs, quiet, extractor_name, fallback, estimate, weights_path, **llm) -> None:
    """Extract the meaning graph of PATHS (files or folders; .md, .markdown, .txt).

    Prints documents, paragraphs, units, relations, concepts and links, validated against
    schemas/extraction.schema.json. Unreadable files are reported one line each, the
    rest is still extracted, and the exit status is 1 at the end.
    """
    from .extract.rules import RunReport
    from .output import write_json, write_jsonl

    report = RunReport()
    nothing = False
    prog = make_progress(quiet)
    with friendly_errors():
        if output != "-":
            fsio.check_output_file(output, "-o")
        chosen = ChosenExtractor(extractor_name, lang, fallback, weights_path=weights_path, **llm)
        if estimate:
            chosen.estimate(paths)
            return
        if engine == "dask":
            from . import cluster

            if not out_dir:
                fail("--engine dask writes shards: give --out-dir FOLDER", 2)
            if chosen.name != "rules":
                fail("--engine dask runs the rules extractor; use --engine local with --extractor llm", 2)
            result = cluster.extract(paths, out_dir, scheduler=scheduler, workers=jobs or 2,
                                     spec=chosen.spec.with_input_format(input_format), shard_format=shard_format,
                                     progress=prog)
            for error in result.errors:
                click.echo(f"graphmind: error: {error}", err=True)
            click.echo(f"graphmind: wrote {result.documents} documents in {result.shards} shards to {out_dir}",
                       err=True)
            if result.errors:
                sys.exit(1)
            return
        extractions = extraction_stream(paths, chosen, report, prog, jobs, input_format, stage="extract")
        write = write_json if fmt == "json" else write_jsonl
        if output == "-":
            counts = write(extractions, click.get_text_stream("stdout"))
        else:
            try:
                with fsio.atomic_file(output, "-o") as f:  # whole or not at all
                    counts = write(extractions, f)
                    if not counts["documents"]:
                        raise _NothingExtracted()
            except _NothingExtracted:
                nothing = True
    report_problems(report)
    failed = chosen.finish()
    click.echo(
        "graphmind: extracted " + ", ".join(f"{n} {k}" for k, n in counts.items()),
        err=True,
    )
    prog.summary()
    if nothing:
        fail(f"nothing was extracted, so {output} was not written (an existing file is kept as it was)")
    if report.errors or failed:
        sys.exit(1)


class _NothingExtracted(Exception):
    """Inside ``atomic_file``: drop the output."""


def store_options(f):
    f = click.option("--database", default=None,
                     help="Database on a multi-database server such as Neo4j 5 [default: $GRAPHMIND_DATABASE; "
                          "unset: the server's default database].")(f)
    f = click.option("--data-dir", type=click.Path(file_okay=False), default=None,
                     help="Folder of the bundled local server's data [default: $GRAPHMIND_DATA_DIR or .graphmind].")(f)
    f = click.option("--uri", default=None,
                     help="Bolt URI of a graph database (e.g. bolt://localhost:7687) [default: $GRAPHMIND_URI; "
                          "unset: the bundled local server]. Credentials come only from GRAPHMIND_USER and "
                          "GRAPHMIND_PASSWORD.")(f)
    return f


def extraction_stream(paths, chosen: ChosenExtractor, report, prog, jobs: int | None, input_format: str,
                      stage: str = "extract", store=None, force: bool = False, manifests: dict | None = None,
                      read: list[str] | None = None, unchanged: list | None = None):
    """Extractions of the notes under ``paths``, in reading order, on ``jobs`` worker processes.
    With ``store``, notes whose stored manifest matches are not extracted (``unchanged``
    gets their sources) and ``manifests`` is filled for the rest; ``read`` gets the ids of
    every document read from the paths."""
    from . import pipeline

    spec = chosen.spec.with_input_format(input_format)
    planned = pipeline.plan(paths, spec, store.manifests if store is not None else None, force)
    report.notes.extend(planned.skipped)
    if unchanged is not None:
        unchanged.extend(planned.unchanged)
    if read is not None:
        read.extend(s.document_id for s in planned.unchanged)
    jobs = jobs or pipeline.default_jobs()
    bar = prog.stage(stage, total=len(planned.todo), unit="notes")
    if planned.unchanged:
        bar.extra = f"{len(planned.unchanged):,} unchanged notes not read again"
    extractor = chosen.extractor if jobs <= 1 or len(planned.todo) < pipeline.MIN_PARALLEL or chosen.name != "rules" \
        else None
    try:
        for s, outcome in pipeline.extract_sources(planned.todo, extractor, spec, jobs):
            bar.advance()
            if outcome.error:
                report.errors.append(outcome.error)
                continue
            ex = outcome.extraction
            report.notes.extend(ex.notes)
            report.left_out.update(outcome.left_out)
            report.documents += 1
            if manifests is not None and s.manifest:
                manifests[ex.document.id] = s.manifest
            if read is not None:
                read.append(ex.document.id)
            yield ex
    finally:
        bar.close()


def ingest_paths(store, paths, chosen: ChosenExtractor, report, read: list[str] | None = None,
                 input_format: str = "auto", prog=None, jobs: int | None = None, force: bool = False):
    """Extract ``paths`` (what changed since the last run, unless ``force``) and write them
    to ``store``; remove documents stored from these paths whose files are gone. The
    summary. The ids of the documents read are appended to ``read``."""
    from .pipeline import source_name

    prog = prog or make_progress(True)
    manifests: dict[str, str] = {}
    unchanged: list = []
    summary = store.ingest(extraction_stream(paths, chosen, report, prog, jobs, input_format, "ingest", store, force,
                                             manifests, read, unchanged), manifests=manifests)
    if unchanged:
        counts = store.stored_counts([s.document_id for s in unchanged])
        summary.add("documents", "unchanged", len(unchanged))
        for kind in ("paragraphs", "units", "relations"):
            summary.add(kind, "unchanged", counts[kind])
    gone = store.prune(within=[source_name(Path(p)) for p in paths])
    for kind, c in gone.counts.items():
        summary.add(kind, "removed", c["removed"])
    return summary


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@lang_option
@input_format_option
@click.option("--prune", is_flag=True,
              help="Also remove stored documents whose files are gone from anywhere (documents stored from "
                   "PATHS whose files are gone are always removed).")
@force_option
@jobs_option
@quiet_option
@extractor_options
@store_options
def ingest(paths: tuple[str, ...], lang: str, input_format: str, prune: bool, force, jobs, quiet, extractor_name,
           fallback, estimate, weights_path, uri: str | None, data_dir: str | None, database: str | None,
           **llm) -> None:
    """Extract PATHS and write the meaning graph to the graph database.

    Incremental: a note whose file, extractor, weights and language data are the same as when
    it was stored is not read again (a stat and a hash); a changed paragraph has its old units
    and relations replaced; documents stored from PATHS whose files are gone (deleted or
    renamed) are removed. Prints a summary of what was written, left unchanged and removed.
    """
    from .extract.rules import RunReport
    from .store.store import open_store

    report = RunReport()
    prog = make_progress(quiet)
    with friendly_errors():
        chosen = ChosenExtractor(extractor_name, lang, fallback, data_dir, weights_path, **llm)
        if estimate:
            chosen.estimate(paths)
            return
        with open_store(uri, data_dir, database=database) as store:
            summary = ingest_paths(store, paths, chosen, report, input_format=input_format, prog=prog, jobs=jobs,
                                   force=force)
            if prune:
                pruned = store.prune()
                for kind, c in pruned.counts.items():
                    summary.add(kind, "removed", c["removed"])
            from .symbols.store import drop_orphans

            orphans = drop_orphans(store)
    if orphans:
        click.echo(f"graphmind: note: {orphans} symbol(s) lost the note that defined them and were removed; "
                   "graphmind symbols build finds them again where they are still defined", err=True)
    report_problems(report)
    failed = chosen.finish()
    click.echo(f"graphmind: {summary.line()}", err=True)
    prog.summary()
    if report.errors or failed:
        sys.exit(1)


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="Only the first N texts of each file.")
@extractor_options
def eval_command(gold, fmt, limit, extractor_name, fallback, estimate, weights_path, **llm) -> None:
    """Score an extractor on gold annotations (JSONL in the microtext schema, or metaphor files).

    Prints, per language: segmentation P/R/F1 (span Jaccard >= 0.5, one-to-one), central-claim
    accuracy, directed support/attack relation P/R/F1, unit-type macro F1 (when the gold has
    types), and for metaphor files the targeted accuracy. See corpus/GUIDELINES.md for the format.
    """
    from itertools import islice

    from .corpus import read_gold
    from .evaluate import evaluate, table

    with friendly_errors():
        chosen = ChosenExtractor(extractor_name, "auto", fallback, weights_path=weights_path, **llm)
        records = [r for path in gold for r in islice(read_gold([path]), limit)]
        bar = progress(None, "eval", unit="text")
        bar.total = len(records)
        results = evaluate(records, chosen.extractor, bar)
        bar.close()
    chosen.finish()
    if fmt == "json":
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        click.echo(table(results))


@main.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(), help="Weights file to write (JSON).")
@click.option("--lang", "only_lang", type=click.Choice(["all", "en", "ru"]), default="all", show_default=True,
              help="Fit on the records of one language only.")
@click.option("--cv", "folds", type=int, default=0,
              help="Also report K-fold cross-validated figures (folds by document) before fitting on all.")
def train(gold, out, only_lang, folds) -> None:
    """Fit the parser's weights on gold annotations and write them to OUT.

    GOLD files are JSONL in the schema of corpus/GUIDELINES.md (your own annotated notes work).
    Use the result with --weights FILE (or GRAPHMIND_WEIGHTS) on extract, ingest, build, eval.
    """
    from .corpus import read_gold
    from .train import cross_validate, dumps, train_files

    with friendly_errors():
        fsio.check_output_file(out)
        if folds:
            from .evaluate import table

            records = [r for r in read_gold(gold) if only_lang == "all" or r.get("lang") == only_lang]
            bar = progress(None, "cross-validate", unit="fold")
            bar.total = folds
            click.echo(table(cross_validate(records, folds, progress=bar)))
            bar.close()
        weights = train_files(list(gold), None if only_lang == "all" else only_lang)
        fsio.write_text(out, dumps(weights))
    click.echo(f"graphmind: wrote {out} (fitted on {weights['trained_on']['records']} records)", err=True)


@main.group()
def db() -> None:
    """Manage the bundled local graph server (ArcadeDB over Bolt, loopback only)."""


@db.command("start")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None, help="Data folder [default: .graphmind].")
@click.option("--heap", default=None, help="JVM heap for the server, e.g. 512m or 2g [default: $GRAPHMIND_HEAP or 1g].")
def db_start(data_dir: str | None, heap: str | None) -> None:
    """Start the local server and leave it running for later commands."""
    with friendly_errors():
        state, started = server.start(data_dir, heap)
    click.echo(f"graph server {'started' if started else 'already running'} on {state.uri} "
               f"(data in {server.data_dir(data_dir)})")


@db.command("stop")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None, help="Data folder [default: .graphmind].")
def db_stop(data_dir: str | None) -> None:
    """Stop the local server."""
    click.echo("graph server stopped" if server.stop(data_dir) else "graph server was not running")


@db.command("status")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None, help="Data folder [default: .graphmind].")
def db_status(data_dir: str | None) -> None:
    """Say whether the local server runs, and where. Exit status 3 when it does not."""
    what, state = server.status(server.data_dir(data_dir).resolve())
    if state:
        kept = "; started by a command, stopped when the last command using it ends" if state.on_demand else ""
        click.echo(f"{what} on {state.uri} (pid {state.pid}, data in {server.data_dir(data_dir)}{kept})")
    else:
        click.echo("not running")
        sys.exit(3)


def print_rows(keys: list[str], rows: list[list], fmt: str) -> None:
    import csv

    from .queries import plain

    rows = [[plain(v) for v in r] for r in rows]
    if fmt == "json":
        click.echo(json.dumps([dict(zip(keys, r)) for r in rows], ensure_ascii=False, indent=2, allow_nan=False))
    elif fmt == "csv":
        import io

        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(keys)
        for r in rows:
            writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for v in r])
        click.echo(buf.getvalue(), nl=False)
    else:
        cells = [[json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v) if not isinstance(v, str)
                  else v for v in r] for r in rows]
        widths = [min(60, max([len(k)] + [len(c[i]) for c in cells])) for i, k in enumerate(keys)]
        line = lambda vals: "  ".join(v[:60].replace("\n", " ").ljust(w) for v, w in zip(vals, widths)).rstrip()
        click.echo(line(keys))
        click.echo(line(["-" * w for w in widths]))
        for c in cells:
            click.echo(line(c))
        click.echo(f"({len(rows)} rows)")


@main.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter; values parse as JSON when they can (numbers, null, lists).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--cypher", "cypher_text", default=None, help="Run this ad-hoc Cypher instead of a named query.")
@click.option("--write", is_flag=True, help="Allow the ad-hoc query to write (otherwise it runs read-only).")
@click.option("--list", "list_", is_flag=True, help="List the named queries with their descriptions.")
@store_options
def query(name, params, fmt, cypher_text, write, list_, uri, data_dir, database) -> None:
    """Run a named query from queries/ (or --cypher TEXT) against the graph.

    Named queries run in read-only transactions; see them with --list.
    """
    with friendly_errors():
        if list_:
            for q in query_library.library().values():
                names = ", ".join(p if d is query_library._MISSING else f"{p}={json.dumps(d)}" for p, d in q.params)
                click.echo(f"{q.name}\n    {q.description}" + (f"\n    params: {names}" if names else ""))
            return
        given = query_library.parse_params(params)
        if cypher_text:
            text, bound, allow_write = cypher_text, given, write
        elif name:
            q = query_library.get(name)
            text, bound, allow_write = q.text, q.bind(given), False
        else:
            fail("name a query (see graphmind query --list) or pass --cypher TEXT", 2)
        from .store.store import open_store

        with open_store(uri, data_dir, database=database) as store:
            keys, rows = store.run(text, bound, write=allow_write)
    print_rows(keys, rows, fmt)


def export_options(f):
    """Options shared by ``export`` and ``build``."""
    opts = [
        click.option("--levels", default="micro,meso,macro", show_default=True,
                     help="Comma-separated levels: micro (how two named spans are linked), meso (the reasoning "
                          "that leads to a named claim), macro (a whole document, section or window)."),
        click.option("--format", "fmt", type=click.Choice(["text", "chat", "alpaca", "dpo", "neo4j-import"]),
                     default="text", show_default=True,
                     help="text: {\"text\"} for pretraining; chat: {\"messages\"}; alpaca: "
                          "{\"instruction\",\"input\",\"output\"}; dpo: {\"prompt\",\"chosen\",\"rejected\"} "
                          "preference pairs (meso and macro) whose rejected answer reads a perturbed graph; "
                          "neo4j-import (export only): the graph as the header and CSV files that "
                          "`neo4j-admin database import full` loads into a Neo4j server or cluster."),
        click.option("--mix", default=None, help="Proportions per level, e.g. micro=0.5,meso=0.3,macro=0.2 "
                                                 "(levels are sampled down, never repeated)."),
        click.option("--order", type=click.Choice(["curriculum", "shuffle"]), default="curriculum",
                     show_default=True, help="curriculum: micro, then meso, then macro; shuffle: seeded shuffle."),
        click.option("--val-fraction", type=float, default=0.1, show_default=True,
                     help="Share of documents for validation (split by document)."),
        click.option("--seed", type=int, default=0, show_default=True,
                     help="Seed for walks, split, mix, order and dpo perturbations."),
        click.option("--max-tokens", default=None,
                     help="Budgets per level over the whole record, e.g. micro=256 [default: text "
                          "micro=128,meso=1024,macro=8192; text --unpacked, chat, alpaca and dpo "
                          "micro=1024,meso=2048,macro=8192]."),
        click.option("--tokenizer", default=None,
                     help="A Hugging Face tokenizer.json path (the [tokenizers] extra), or tiktoken:ENCODING "
                          "(optional tiktoken package, encoding cached offline) [default: a built-in "
                          "approximate counter]."),
        click.option("--unpacked", is_flag=True,
                     help="text format only: put the source paragraphs first ([SOURCE]); chat, alpaca and dpo "
                          "always carry them in the prompt."),
        click.option("--min-confidence", type=float, default=0.0, show_default=True,
                     help="Leave out relations whose confidence is below this (0-1): micro examples of them, "
                          "and their branches in meso and macro walks."),
        click.option("--keep-fragments", is_flag=True,
                     help="Keep units of under 3 words and units cut mid-sentence (left out by default)."),
        click.option("--keep-one-step", is_flag=True,
                     help="Keep meso chains whose reasons all sit directly under the claim (left out by default)."),
        click.option("--keep-near-duplicates", is_flag=True,
                     help="Keep answers that nearly repeat an earlier one (MinHash, Jaccard >= 0.9; "
                          "left out by default)."),
        click.option("--check-against", "check_against", multiple=True, metavar="FILE",
                     type=click.Path(exists=True, dir_okay=False),
                     help="Report how many examples share a word 13-gram with this text, .json or .jsonl "
                          "file (e.g. an evaluation set); repeatable."),
        click.option("--license", "license_", default=None, metavar="TEXT",
                     help="The licence to state in the dataset card (e.g. CC-BY-4.0)."),
        click.option("--anchor", type=click.Choice(["claims", "symbols", "both"]), default="claims",
                     show_default=True,
                     help="What macro examples are built around: the author's central claims, or symbols "
                          "(graphmind symbols build): \"unfold\" (a symbol and its gloss -> its scene) and "
                          "\"fold\" (a scene -> the symbol that compresses it); both: all of them."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def make_export_options(levels, fmt, mix, order, val_fraction, seed, max_tokens, tokenizer, unpacked,
                        min_confidence, keep_fragments, keep_one_step, keep_near_duplicates, check_against,
                        license_, documents=(), source_prefixes=(), provenance=None, anchor="claims"):
    from .export import NEAR_DUPLICATE_THRESHOLD, ExportOptions, parse_levels_map

    return ExportOptions(
        levels=tuple(filter(None, (x.strip() for x in levels.split(",")))), format=fmt,
        mix=parse_levels_map(mix) or None, order=order, val_fraction=val_fraction, seed=seed,
        max_tokens={k: int(v) for k, v in parse_levels_map(max_tokens, int).items()},
        tokenizer=tokenizer, documents=tuple(documents), source_prefixes=tuple(source_prefixes), unpacked=unpacked,
        min_confidence=min_confidence, drop_fragments=not keep_fragments, drop_one_step=not keep_one_step,
        near_duplicates=None if keep_near_duplicates else NEAR_DUPLICATE_THRESHOLD,
        check_against=tuple(check_against), license=license_, provenance=provenance or {}, anchor=anchor,
    )


def documents_in_scope(store, documents=(), source_prefixes=()) -> list[str]:
    """Ids of the stored documents chosen by --document / --source-prefix (all without either)."""
    if not documents and not source_prefixes:
        return store.document_ids()
    from .pipeline import source_name

    prefixes = [source_name(Path(p)) for p in source_prefixes]
    rows = store.read("MATCH (d:Document) RETURN d.id AS id, d.source AS source")
    chosen = {r["id"] for r in rows if r["id"] in set(documents)
              or any(r["source"] == p or r["source"].startswith(p.rstrip("/") + "/") for p in prefixes)}
    missing = [d for d in documents if d not in chosen]
    if missing:
        raise GraphMindError(f"no stored document {missing[0]!r} (list them with: graphmind query document_overview)")
    return sorted(chosen)


def read_graph(store, prog, documents: list[str] | None = None, name: str = "read graph"):
    """The stored graph (or these documents') read in pages, with progress."""
    total = len(documents) if documents is not None else None
    with prog.stage(name, total=total, unit="documents") as bar:
        if total is None:  # the whole store: streamed in id order, no pages
            bar.set_total(len(store.document_ids()))
        return store.load_graph(documents=documents, on_page=bar.advance)


def run_export(store, out: str, options, scope: str | None = None, prog=None, directory: Path | None = None):
    """Export the stored graph (``scope``: what the documents chosen are, said before the
    export) into ``directory``, a folder being prepared for ``out`` (None: ``out`` itself,
    replaced whole), reading the store a page of documents at a time (``graphmind.export.stream``:
    memory stays that of a page). Returns the lines to print once the dataset is in place."""
    from .export.stream import export_files, export_store

    prog = prog or make_progress(True)
    if scope:
        stored = len(store.document_ids())
        chosen = len(options.documents)
        more = f" (the store holds {stored}; --all exports them all)" if stored > chosen else ""
        click.echo(f"graphmind: exporting the {chosen} document(s) {scope}{more}", err=True)
    with prog.stage("export", unit="documents") as bar:
        progress = {"on_documents": bar.advance, "on_total": bar.set_total, "progress": prog}
        if directory is None:
            dataset = export_store(store, options, out, **progress)
        else:
            dataset = export_files(store, options, directory, **progress)
        bar.extra = f"{dataset.stats['examples']['total']:,} examples"
    lines = [f"graphmind: note: {message}" for message in dataset.messages]
    lines += [f"graphmind: warning: {warning}" for warning in dataset.warnings]
    ex = dataset.stats["examples"]
    per_level = ", ".join(f"{lvl} {ex['train'].get(lvl, 0) + ex['val'].get(lvl, 0)}"
                          for lvl in dataset.stats["levels"] if not (lvl == "micro" and options.format == "dpo"))
    lines.append(f"graphmind: wrote {ex['total']} {options.format} examples ({per_level}) to {out} "
                 f"(train {sum(ex['train'].values())}, val {sum(ex['val'].values())}); what was left out and "
                 f"why: {Path(out) / 'README.md'}")
    return lines


def echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)


@main.command()
@click.option("--out", required=True, type=click.Path(), help="Folder for the dataset.")
@click.option("--document", "documents", multiple=True, metavar="ID", help="Only this document (repeatable).")
@click.option("--source-prefix", "source_prefixes", multiple=True, metavar="PATH",
              help="Only documents whose source path is PATH or lies under it (repeatable).")
@export_options
@quiet_option
@store_options
def export(out, documents, source_prefixes, levels, fmt, mix, order, val_fraction, seed, max_tokens, tokenizer,
           unpacked, min_confidence, keep_fragments, keep_one_step, keep_near_duplicates, check_against, license_,
           anchor, quiet, uri, data_dir, database) -> None:
    """Walk the stored graph and write training data as JSON Lines.

    Writes OUT/train.jsonl, OUT/val.jsonl, OUT/stats.json and a dataset card OUT/README.md.
    The same graph, options and seed give byte-identical files. Without --document or
    --source-prefix every stored document is exported.
    """
    with friendly_errors():
        options = None if fmt == "neo4j-import" else make_export_options(
            levels, fmt, mix, order, val_fraction, seed, max_tokens, tokenizer, unpacked, min_confidence,
            keep_fragments, keep_one_step, keep_near_duplicates, check_against, license_, documents, source_prefixes,
            anchor=anchor)
        from .store.store import open_store

        prog = make_progress(quiet)
        fsio.check_output_dir(out)
        lines = []
        with open_store(uri, data_dir, database=database) as store:
            if fmt == "neo4j-import":
                import shlex

                from . import neo4j_import

                with prog.stage("neo4j-import", unit="documents") as bar:
                    ids_ = documents_in_scope(store, documents, source_prefixes)
                    bar.set_total(len(ids_))
                    with fsio.atomic_dir(out) as stage:  # the files replace OUT's whole or not at all
                        written = neo4j_import.write(store.pages(ids_, on_page=bar.advance), stage)
                    written.command = written.command.replace(shlex.quote(str(stage)), shlex.quote(str(out)), 1)
                    bar.extra = f"{written.nodes:,} nodes, {written.relationships:,} relationships"
                click.echo(f"graphmind: wrote {written.nodes} nodes and {written.relationships} relationships as "
                           f"neo4j-admin import files to {out} (load them with: {written.command})", err=True)
            else:
                lines = run_export(store, out, options, prog=prog)
    echo_lines(lines)
    prog.summary()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", required=True, type=click.Path(), help="Folder for everything built.")
@click.option("--all", "all_documents", is_flag=True,
              help="Export every stored document, not only those under PATHS.")
@lang_option
@input_format_option
@export_options
@click.option("--symbols-table", "symbols_table", type=click.Path(dir_okay=False), default=None,
              help="The glyph table [default: $GRAPHMIND_SYMBOLS, else ./symbols.toml when it exists].")
@click.option("--no-symbols", is_flag=True, help="Skip the symbol stage (graphmind symbols build).")
@force_option
@jobs_option
@quiet_option
@extractor_options
@store_options
def build(paths, out, all_documents, lang, input_format, levels, fmt, mix, order, val_fraction, seed, max_tokens,
          tokenizer, unpacked, min_confidence, keep_fragments, keep_one_step, keep_near_duplicates, check_against,
          license_, anchor, symbols_table, no_symbols, force, jobs, quiet, extractor_name, fallback, estimate,
          weights_path, uri, data_dir, database, **llm) -> None:
    """The main job: ingest PATHS, then write the dataset, graph.ttl and map.html into OUT.

    The dataset holds the documents under PATHS only (documents stored earlier from other
    paths stay out); --all exports the whole store.
    """
    import os

    from .extract.rules import RunReport
    from .store.store import open_store

    if fmt == "neo4j-import":
        fail("build writes training data: --format is text, chat, alpaca or dpo (neo4j-import is for "
             "graphmind export)", 2)
    report = RunReport()
    prog = make_progress(quiet)
    with friendly_errors():
        provenance = {"name": extractor_name}
        if extractor_name != "rules":
            from .extract.llm import PROMPT_VERSION

            provenance["prompt_version"] = PROMPT_VERSION
            if os.environ.get("GRAPHMIND_LLM_MODEL"):
                provenance["model"] = os.environ["GRAPHMIND_LLM_MODEL"]
        options = make_export_options(levels, fmt, mix, order, val_fraction, seed, max_tokens, tokenizer, unpacked,
                                      min_confidence, keep_fragments, keep_one_step, keep_near_duplicates,
                                      check_against, license_, provenance=provenance, anchor=anchor)
        chosen = ChosenExtractor(extractor_name, lang, fallback, data_dir, weights_path, **llm)
        if estimate:
            chosen.estimate(paths)
            return
        fsio.check_output_dir(out)
        with open_store(uri, data_dir, database=database) as store:
            read: list[str] = []
            summary = ingest_paths(store, paths, chosen, report, read, input_format, prog, jobs, force)
            report_problems(report)
            if chosen.finish():
                report.errors.append("some paragraphs failed with the model (see above)")
            click.echo(f"graphmind: {summary.line()}", err=True)
            if not no_symbols:
                from .symbols import FoundOptions

                run_symbols(store, symbols_table, False, FoundOptions(), prog)
            from .export import STRAY_FILES

            # the dataset, graph.ttl and map.html are prepared beside OUT and replace it together; each
            # reads the store a page of documents at a time, so memory does not grow with the vault
            with fsio.atomic_dir(out, drop=STRAY_FILES) as stage:
                lines = []
                if all_documents:
                    click.echo("graphmind: exporting every stored document (--all)", err=True)
                    lines = run_export(store, out, options, prog=prog, directory=stage)
                elif read:
                    from dataclasses import replace

                    options = replace(options, documents=tuple(sorted(set(read))))
                    lines = run_export(store, out, options, scope=f"read from {', '.join(paths)}", prog=prog,
                                       directory=stage)
                else:
                    lines.append("graphmind: note: no document was read from the paths, so no dataset was written")
                from . import rdf
                from .viz import write_map_from_store

                # the map and graph.ttl are written from one read of the store, page by page
                with prog.stage("map and rdf", unit="documents") as bar, \
                        fsio.atomic_file(stage / "graph.ttl") as ttl:
                    turtle = rdf.PageStream(ttl, "turtle")
                    _, units = write_map_from_store(store, stage / "map.html", on_page=bar.advance,
                                                    on_total=bar.set_total, also=turtle.write)
                    bar.extra = f"{units:,} units, {turtle.triples:,} triples"
                lines.append(f"graphmind: wrote {turtle.triples} triples to {Path(out) / 'graph.ttl'}")
                lines.append(f"graphmind: wrote {Path(out) / 'map.html'}")
        echo_lines(lines)
    prog.summary()
    if report.errors:
        sys.exit(1)


@main.command()
@click.option("--out", required=True, type=click.Path(), help="File to write (.html or .svg).")
@click.option("--format", "fmt", type=click.Choice(["html", "svg"]), default=None,
              help="html: the interactive map; svg: a static drawing of one document's argument map "
                   "[default: from the file name, else html].")
@click.option("--document", default=None, metavar="ID",
              help="Only this document (svg: the document to draw; default: the one with most units).")
@click.option("--query", "query_name", default=None, metavar="NAME",
              help="Only the units a named query returns (see graphmind query --list), with the relations among them.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of --query.")
@click.option("--start", type=click.Choice(["auto", "map", "overview"]), default="auto", show_default=True,
              help="What the page opens on: every document's argument map side by side, or the overview "
                   "(one node per document); auto opens large maps (over 2,000 units) on the overview.")
@click.option("--title", default=None, help="Heading of the page or drawing [default: GraphMind map / the document's title].")
@quiet_option
@store_options
def viz(out, fmt, document, query_name, params, start, title, quiet, uri, data_dir, database) -> None:
    """Draw the graph as an argument map: one self-contained HTML file that works offline,
    or a static SVG of one document.

    Each document is a tree laid out before the page opens: its main claim on top, what
    supports it (green arrows) or attacks it (red dashed) below, each unit a box holding its
    text, tinted by type (colours from the schema). The overview shows one node per
    document with its links (wikilinks, shared claims and concepts, relations); click one to
    open its map. Click a unit to read it in its paragraph with its relations (arrow keys
    step along them); hover for full text and provenance; filter by type or document;
    search by text; collapse a subtree or a document.
    """
    from . import queries as query_library
    from .store.store import open_store
    from .viz import query_subgraph, write_map, write_map_from_store, write_svg

    fmt = fmt or ("svg" if str(out).lower().endswith(".svg") else "html")
    prog = make_progress(quiet)
    with friendly_errors():
        fsio.check_output_file(out)
        with open_store(uri, data_dir, database=database) as store:
            if fmt == "html" and not query_name:  # read and written a page of documents at a time
                if document and not store.stored_counts([document])["units"]:
                    fail(f"no units found for document {document}; list documents with: graphmind query document_overview")
                with prog.stage("map", unit="documents") as bar:
                    write_map_from_store(store, out, heading=title or "GraphMind map", start=start,
                                         documents=[document] if document else None,
                                         on_page=bar.advance, on_total=bar.set_total)
                click.echo(f"graphmind: wrote {out}", err=True)
                prog.summary()
                return
            # a query may name any node
            g = read_graph(store, prog, [document] if document else None)
            if query_name:
                q = query_library.get(query_name)
                _, rows = store.run(q.text, q.bind(query_library.parse_params(params)))
                g = query_subgraph(g, rows)
        if document and not any("Unit" in d.get("labels", ()) for _, d in g.nodes(data=True)):
            fail(f"no units found for document {document}; list documents with: graphmind query document_overview")
        if fmt == "svg":
            _, drawn = write_svg(g, out, document, title)
            click.echo(f"graphmind: wrote {out} (document {drawn})", err=True)
            return
        with prog.stage("map", unit="units") as bar:
            write_map(g, out, heading=title or "GraphMind map", start=start)
            bar.advance(sum(1 for _, d in g.nodes(data=True) if "Unit" in d.get("labels", ())))
    click.echo(f"graphmind: wrote {out}", err=True)
    prog.summary()


@main.group(name="rdf")
def rdf_group() -> None:
    """Export the meaning graph as RDF (AIF, SKOS and PROV aligned) and import it back."""


@rdf_group.command("export")
@click.option("--out", required=True, type=click.Path(), help="File to write.")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "nquads", "json-ld", "xml"]), default=None,
              help="RDF syntax [default: from the file name (.ttl .nt .nq .jsonld .rdf), else turtle]. Turtle, "
                   "N-Triples and N-Quads (one named graph per document) are written as a stream, a page of "
                   "documents at a time; JSON-LD and RDF/XML are built in memory.")
@click.option("--document", "document", default=None, metavar="ID", help="Only this document.")
@click.option("--base", default=None, help="Base IRI for node IRIs [default: urn:graphmind:].")
@quiet_option
@store_options
def rdf_export(out, fmt, document, base, quiet, uri, data_dir, database) -> None:
    """Write the stored graph (or one document) as RDF; IRIs come from the ids, never from text."""
    from . import rdf
    from .store.store import open_store

    prog = make_progress(quiet)
    with friendly_errors():
        fsio.check_output_file(out)
        with open_store(uri, data_dir, database=database) as store:
            ids_ = [document] if document else store.document_ids()
            with prog.stage("rdf", total=len(ids_), unit="documents") as bar:  # a page of documents at a time
                triples = rdf.export_pages(store.pages(ids_), out, fmt, base or rdf.DEFAULT_BASE, on_page=bar.advance)
                bar.extra = f"{triples:,} triples"
    click.echo(f"graphmind: wrote {triples} triples to {out}", err=True)
    prog.summary()


@rdf_group.command("import")
@click.argument("file", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["turtle", "json-ld", "nt", "nquads", "xml"]), default=None,
              help="RDF syntax [default: from the file name].")
@click.option("--base", default=None, help="Base IRI the file's node IRIs use [default: urn:graphmind:].")
@store_options
def rdf_import(file, fmt, base, uri, data_dir, database) -> None:
    """Read GraphMind RDF into the store (idempotent, like ingest)."""
    from . import rdf
    from .store.store import open_store
    from .symbols.store import write_symbols

    with friendly_errors():
        graph = rdf.parse_file(file, fmt)
        extractions = rdf.from_rdf(graph, base or rdf.DEFAULT_BASE)
        symbols = rdf.symbols_from_rdf(graph, base or rdf.DEFAULT_BASE)
        with open_store(uri, data_dir, database=database) as store:
            summary = store.ingest(extractions)
            written = write_symbols(store, symbols, rdf.node_kinds_of(graph, base or rdf.DEFAULT_BASE)) \
                if symbols else None
    click.echo(f"graphmind: {summary.line()}" + (f"; {written.line()}" if written else ""), err=True)


@main.group(name="symbols")
def symbols_group() -> None:
    """Symbols: glyphs or coined names that compress a cluster of meaning.

    A symbol is declared in the notes («⟁ = …», «🜂 → …», «Символ X — это …», "X stands for …"),
    in the glyph table symbols.toml (a glyph or name mapped to keywords, concept lemmas or a
    read-only Cypher query), or found in the graph (a community of units and concepts). Units
    that write its glyph use it; units that name it evoke it; a glyph nothing defines is listed
    as undefined.
    """


def _found_options(found: bool, min_size: int, resolution: float, seed: int, method: str = "louvain",
                   max_edges: int | None = None):
    from .exceptions import GraphMindError
    from .symbols import FoundOptions
    from .symbols.found import MAX_EDGES

    if min_size < 2:
        raise GraphMindError("--min-size must be at least 2 units")
    if resolution <= 0:
        raise GraphMindError("--resolution must be above 0 (above 1: smaller communities, below 1: larger)")
    if max_edges is not None and max_edges < 1:
        raise GraphMindError("--max-community-edges must be at least 1")
    return FoundOptions(min_size, resolution, seed, method, MAX_EDGES if max_edges is None else max_edges) \
        if found else None


def symbol_options(f):
    opts = [
        click.option("--table", "table", type=click.Path(dir_okay=False), default=None,
                     help="The glyph table [default: $GRAPHMIND_SYMBOLS, else ./symbols.toml when it exists]."),
        click.option("--no-table", is_flag=True, help="Read no glyph table."),
        click.option("--found/--no-found", default=True, show_default=True,
                     help="Also find symbols as communities of units and concepts (networkx Louvain)."),
        click.option("--min-size", type=int, default=5, show_default=True,
                     help="Units a community needs to become a symbol."),
        click.option("--resolution", type=float, default=1.0, show_default=True,
                     help="Louvain resolution: above 1 finds smaller communities, below 1 larger ones."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of the community search (Louvain)."),
        click.option("--method", type=click.Choice(["louvain", "label-propagation"]), default="louvain",
                     show_default=True,
                     help="How communities are found: networkx Louvain (--resolution, --seed), or label propagation "
                          "(deterministic, several times faster on large graphs; no resolution)."),
        click.option("--max-community-edges", "max_edges", type=int, default=None,
                     help="Search for found symbols only when the graph of units and concepts has at most this many "
                          "edges; a larger one is reported and skipped (the search holds about 1 KB per edge) "
                          "[default: 500,000, about a 2,000-note vault]."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def run_symbols(store, table, no_table, found_options, prog=None) -> None:
    from .symbols.run import build_symbols

    result = build_symbols(store, table, found_options, use_table=not no_table,
                           progress=prog if prog is not None else make_progress(False))
    for note in result.detected.notes:
        click.echo(f"graphmind: note: {note}", err=True)
    click.echo(f"graphmind: {result.counts()}; {result.summary.line()}", err=True)


@symbols_group.command("build")
@symbol_options
@store_options
def symbols_build(table, no_table, found, min_size, resolution, seed, method, max_edges, uri, data_dir,
                  database) -> None:
    """Detect the symbols of the stored graph and write them.

    Idempotent: unchanged symbols are left alone, changed ones replaced, and symbols whose
    definition is gone (its note, its table entry, its community) are removed. A table entry
    that matches nothing is reported and makes no symbol.
    """
    from .store.store import open_store

    with friendly_errors():
        options = _found_options(found, min_size, resolution, seed, method, max_edges)
        with open_store(uri, data_dir, database=database) as store:
            run_symbols(store, table, no_table, options)


def _symbol_row(p: dict) -> list:
    return [(p.get("glyph") + " " + p.get("label", "")).strip() if p.get("glyph") and p.get("label") != p.get("glyph")
            else p.get("glyph") or p.get("label", ""), p.get("origin"), p.get("members", 0), p.get("uses", 0),
            p.get("gloss") or ("(undefined)" if not p.get("defined") else "")]


@symbols_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
def symbols_list(fmt, uri, data_dir, database) -> None:
    """List the stored symbols: glyph and label, origin, members, uses and gloss."""
    from .store.store import open_store
    from .symbols.store import stored_symbols

    with friendly_errors(), open_store(uri, data_dir, database=database) as store:
        rows = stored_symbols(store)
    if fmt == "json":
        click.echo(json.dumps([{k: v for k, v in sorted(p.items()) if k != "hash"} for p in rows],
                              ensure_ascii=False, indent=2))
        return
    print_rows(["symbol", "origin", "members", "uses", "gloss"], [_symbol_row(p) for p in rows], "table")


@symbols_group.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
def symbols_show(name, fmt, uri, data_dir, database) -> None:
    """One symbol (NAME: its glyph, name, label or id) with its members and the units that use it."""
    import unicodedata

    from .store.store import open_store
    from .symbols.glyphs import base
    from .symbols.store import members_of, stored_symbols

    def norm(text: str) -> str:
        return " ".join(base(unicodedata.normalize("NFC", text or "")).casefold().split())

    with friendly_errors(), open_store(uri, data_dir, database=database) as store:
        wanted = norm(name)
        found = [p for p in stored_symbols(store)
                 if wanted and wanted in {norm(p.get(k)) for k in ("glyph", "name", "label", "id")}]
        if not found:
            fail(f"no symbol named {name!r}; list them with: graphmind symbols list")
        if len(found) > 1:
            fail(f"{name!r} names {len(found)} symbols ({', '.join(p['id'] for p in found)}); show one by its id")
        props = found[0]
        members, uses = members_of(store, props["id"])
    members.sort(key=lambda r: ("Concept" in r["labels"], r["document_id"] or "", r["text"] or "", r["id"]))
    uses.sort(key=lambda r: (r["document_id"] or "", r["rel"], r["text"] or "", r["id"]))
    if fmt == "json":
        click.echo(json.dumps({"symbol": {k: v for k, v in sorted(props.items()) if k != "hash"},
                               "members": members, "occurrences": uses}, ensure_ascii=False, indent=2))
        return
    head = _symbol_row(props)
    click.echo(f"{head[0]}  ({props.get('origin')}{', undefined' if not props.get('defined') else ''})")
    if props.get("gloss"):
        click.echo(f"gloss: {props['gloss']}")
    if props.get("source"):
        click.echo(f"defined in: {props['source']}")
    click.echo("")
    print_rows(["member", "kind", "via", "text"],
               [[r["id"], "concept" if "Concept" in r["labels"] else (r.get("type") or "unit"), r["via"] or "",
                 r["text"] or ""] for r in members], "table")
    click.echo("")
    print_rows(["unit", "how", "text"], [[r["id"], r["rel"].lower(), r["text"] or ""] for r in uses], "table")


if __name__ == "__main__":
    main()
