"""The command line: ``heelpath assess | report | fhir | knowledge | serve | db``.

Errors from the error tree are mapped here, in one place, to a message on
standard error and exit status 2; nothing is printed on standard output then.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from heelpath.errors import HeelpathError, InvalidInput

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="heelpath: back-of-heel pain assessment, triage and home plan.",
)


def _fail(message: str) -> None:
    print(f"heelpath: error: {message}", file=sys.stderr)
    raise typer.Exit(2)


def _read_text(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}")
        raise  # unreachable: _fail exits


@app.command()
def assess(
    json_file: Annotated[
        str | None,
        typer.Option("--json", help="One input as JSON: a file, or - for standard input."),
    ] = None,
    batch: Annotated[
        str | None,
        typer.Option("--batch", help="JSON Lines: one input per line, one answer per line."),
    ] = None,
    text: Annotated[
        bool,
        typer.Option("--text", help="Show the answer for a person at a terminal instead of JSON."),
    ] = False,
    open_questions: Annotated[
        bool,
        typer.Option(
            "--open-questions",
            help="Also list the unanswered findings that would change the triage level or "
            "the leading condition (slower; spec 1.1).",
        ),
    ] = False,
) -> None:
    """Assess one input (--json) or many (--batch) against the contract (spec v1)."""
    from heelpath.engine import default_engine

    if (json_file is None) == (batch is None):
        _fail("give exactly one of --json FILE (or -) and --batch FILE.jsonl")
    try:
        engine = default_engine()
        if batch is not None:
            _run_batch(engine, batch, open_questions)
            return
        assert json_file is not None
        answer = engine.assess(_read_json(json_file), open_questions)
    except HeelpathError as exc:
        _fail(str(exc))
        return
    if text:
        from rich.console import Console

        from heelpath.textview import print_answer

        print_answer(answer, Console())
    else:
        sys.stdout.buffer.write(orjson.dumps(answer, option=orjson.OPT_INDENT_2) + b"\n")


def _read_json(path: str) -> Any:
    """One JSON document from a file or standard input; not JSON is bad input."""
    try:
        return orjson.loads(_read_text(path))
    except orjson.JSONDecodeError as exc:
        raise InvalidInput("", f"the input is not valid JSON ({exc})") from None


def _write_file(path: Path, content: bytes) -> None:
    """Write all of ``content`` or nothing: a temporary file beside it, then renamed."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(content)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _fail(f"cannot write {path}: {exc.strerror}")


def _run_batch(engine: Any, path: str, open_questions: bool = False) -> None:
    out = sys.stdout.buffer
    if path == "-":
        _write_answers(engine, sys.stdin.buffer, out, open_questions)
        return
    try:
        fh = Path(path).open("rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}")
        return
    with fh:
        _write_answers(engine, fh, out, open_questions)


def _write_answers(engine: Any, lines: Any, out: Any, open_questions: bool = False) -> None:
    for answer in engine.assess_lines(lines, open_questions):
        out.write(answer)
        out.write(b"\n")
    out.flush()


@app.command()
def report(
    input_file: Annotated[
        str, typer.Argument(help="One input as JSON: a file, or - for standard input.")
    ],
    pdf: Annotated[
        Path, typer.Option("--pdf", help="Write the printable plan (1-3 A4 pages) to this file.")
    ],
) -> None:
    """Make the printable plan for one input: triage, causes, plan with doses and drawings."""
    from heelpath.engine import default_engine
    from heelpath.exports.pdf import render_pdf

    try:
        engine = default_engine()
        data = _read_json(input_file)
        answer = engine.assess(data)
    except HeelpathError as exc:
        _fail(str(exc))
        return
    _write_file(pdf, render_pdf(data, answer, engine.knowledge))


@app.command()
def fhir(
    input_file: Annotated[
        str, typer.Argument(help="One input (or, with --to-input, a Bundle) as JSON; - for stdin.")
    ],
    to_input: Annotated[
        bool,
        typer.Option("--to-input", help="Read a heelpath Bundle and print the input it holds."),
    ] = False,
) -> None:
    """Print the assessment as a FHIR R4 Bundle, or (--to-input) a Bundle back as the input."""
    from heelpath.engine import default_engine
    from heelpath.exports.fhir import build_bundle, bundle_to_input

    try:
        engine = default_engine()
        document = _read_json(input_file)
        if to_input:
            out = bundle_to_input(document, engine.knowledge)
            engine.parse(out)  # what comes back must be a valid input, named if not
        else:
            out = build_bundle(document, engine.assess(document), engine.knowledge)
    except HeelpathError as exc:
        _fail(str(exc))
        return
    sys.stdout.buffer.write(orjson.dumps(out, option=orjson.OPT_INDENT_2) + b"\n")


@app.command()
def knowledge(
    section: Annotated[
        str,
        typer.Argument(help="conditions | evidence | matrix | rules | sources | all"),
    ] = "all",
    condition: Annotated[
        str | None,
        typer.Option("--condition", help="Only the likelihood ratios of this condition."),
    ] = None,
    as_csv: Annotated[
        bool,
        typer.Option("--csv", help="matrix only: one CSV line per cell, with source and basis."),
    ] = False,
) -> None:
    """Print the knowledge tables a clinician reviews: priors, likelihood ratios, rules, sources."""
    from rich.console import Console

    from heelpath.knowledge import load_knowledge
    from heelpath.knowledge_tables import print_matrix, print_tables, write_matrix_csv

    try:
        k = load_knowledge()
    except HeelpathError as exc:
        _fail(str(exc))
        return
    if section not in ("conditions", "evidence", "matrix", "rules", "sources", "all"):
        _fail(f"unknown section {section!r}: conditions, evidence, matrix, rules, sources or all")
    if condition is not None and condition not in {c.id for c in k.conditions}:
        _fail(f"unknown condition {condition!r}")
    if as_csv and section != "matrix":
        _fail("--csv is for the matrix: heelpath knowledge matrix --csv")
    if section == "matrix":
        if as_csv:
            write_matrix_csv(k, sys.stdout)
            return
        console = Console()
        # a pipe gets the whole width: 17 condition columns do not fit in 80
        print_matrix(k, console if console.is_terminal else Console(width=220))
        return
    print_tables(k, Console(), section=section, condition=condition)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (one core each); 1 by default.")
    ] = 1,
) -> None:
    """Serve the web app and the REST API."""
    from heelpath.web.app import serve as run

    try:
        run(host, port, workers=workers)
    except HeelpathError as exc:
        _fail(str(exc))


db_app = typer.Typer(
    no_args_is_help=True,
    help="The database: HEELPATH_DATABASE_URL, or an SQLite file in the per-user data folder.",
)
app.add_typer(db_app, name="db")


def _database() -> Any:
    from heelpath.store.db import Database, database_url

    return Database(database_url())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the tables or bring them to the newest schema (safe to run again)."""
    db = _database()
    try:
        db.upgrade()
    finally:
        db.dispose()
    print("heelpath: the database is up to date")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (JSON).")],
) -> None:
    """Copy every table to FILE, read in one transaction (kept 35 days; see docs/deploy.md)."""
    from heelpath.store import backup

    db = _database()
    try:
        counts = backup.backup(db, file)
    except OSError as exc:
        _fail(f"cannot write {file}: {exc.strerror}")
        return
    finally:
        db.dispose()
    print(f"heelpath: backed up {counts.get('users', 0)} accounts to {file}")


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `heelpath db backup`.")],
) -> None:
    """Replace everything in the database with the backup in FILE, in one transaction."""
    from heelpath.store import backup

    db = _database()
    try:
        counts = backup.restore(db, file)
    except HeelpathError as exc:
        _fail(str(exc))
        return
    finally:
        db.dispose()
    print(f"heelpath: restored {counts.get('users', 0)} accounts from {file}")


@db_app.command("purge")
def db_purge() -> None:
    """Delete what has passed its retention time (the app also does this when it starts)."""
    from heelpath.store import accounts

    db = _database()
    try:
        db.upgrade()
        with db.transaction() as session:
            counts = accounts.purge_expired(session)
    finally:
        db.dispose()
    print("heelpath: purged " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def main() -> None:
    app()
