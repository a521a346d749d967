"""The ``graphmind`` command line: a thin layer over the library functions."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

import click
from tqdm import tqdm

from . import __version__
from .exceptions import GraphMindError
from .extract.rules import RuleExtractor, RunReport, extract_paths
from .output import write_json, write_jsonl


def fail(message: str, code: int = 1) -> None:
    click.echo(f"graphmind: error: {message}", err=True)
    sys.exit(code)


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
    for error in report.errors:
        click.echo(f"graphmind: error: {error}", err=True)


def progress(iterable, desc: str, unit: str = "doc"):
    return tqdm(iterable, desc=desc, unit=unit, file=sys.stderr, disable=None, leave=False)


lang_option = click.option(
    "--lang",
    type=click.Choice(["auto", "en", "ru"]),
    default="auto",
    show_default=True,
    help="Language of the notes; 'auto' detects it per paragraph from the script.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: one object with six arrays; jsonl: one complete extraction per document per line.",
)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of standard output.")
def extract(paths: tuple[str, ...], lang: str, fmt: str, output) -> None:
    """Extract the meaning graph of PATHS (files or folders; .md, .markdown, .txt).

    Prints documents, paragraphs, units, relations, concepts and links, validated against
    schemas/extraction.schema.json. Unreadable files are reported one line each, the
    rest is still extracted, and the exit status is 1 at the end.
    """
    report = RunReport()
    with friendly_errors():
        extractions = progress(extract_paths(paths, RuleExtractor(lang=lang), report), "extract")
        counts = (write_json if fmt == "json" else write_jsonl)(extractions, output)
    report_problems(report)
    click.echo(
        "graphmind: extracted " + ", ".join(f"{n} {k}" for k, n in counts.items()),
        err=True,
    )
    if report.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
