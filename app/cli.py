"""The ``apis-matcher`` command line (DESIGN.md, "Command line", stable).

Exit codes: 0 success; 1 a file was rejected or an operation failed; 2 a usage error
(bad option, unreadable file argument).
"""

from __future__ import annotations

import asyncio
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

app = typer.Typer(
    name="apis-matcher",
    help="Screen advance passenger data (PAXLST, PNRGOV) against watchlists and publish alerts to Kafka.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
watchlist_app = typer.Typer(help="Read watchlist files and publish them to the watchlist topics.",
                            no_args_is_help=True)
app.add_typer(watchlist_app, name="watchlist")
keys_app = typer.Typer(help="API keys of the operator API (stored hashed in APIS_MATCHER_DB_PATH).",
                       no_args_is_help=True)
app.add_typer(keys_app, name="keys")


class ParseFormat(StrEnum):
    auto = "auto"
    paxlst = "paxlst"
    pnrgov = "pnrgov"


WATCHLIST_FORMATS = ["auto", "ofac-csv", "un-xml", "uk-hmt-csv", "eu-fsf-csv", "ftm", "jsonl", "csv"]


def _out(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")
    sys.stdout.flush()


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _settings(*, quiet: bool = False) -> Any:
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from app.logs import configure_logging
    from app.settings import get_settings

    try:
        settings = get_settings()
    except (ValidationError, SettingsError) as exc:
        typer.echo(f"error: invalid configuration (APIS_MATCHER_*):\n{exc}", err=True)
        raise typer.Exit(code=2) from exc
    if quiet and "APIS_MATCHER_LOG_LEVEL" not in os.environ:
        configure_logging("WARNING", settings.log_format, client_level="CRITICAL")
    else:
        configure_logging(settings.log_level, settings.log_format)
    return settings


def _check_readable(paths: list[Path]) -> None:
    for p in paths:
        if not p.is_file():
            raise _usage_error(f"not a readable file: {p}")


MAX_ERRORS_SHOWN = 100


def _read_list(path: Path, fmt: str, list_id: str | None) -> Any:
    """Read a watchlist file for the CLI: a usage error (exit 2) for a missing path, an
    unknown format or a file that cannot be read."""
    from schemas.watchlists import WatchlistFormatError, read_watchlist

    if not path.exists():
        raise _usage_error(f"no such file or directory: {path}")
    try:
        return read_watchlist(path, format=fmt, list_id=list_id)
    except WatchlistFormatError as exc:
        raise _usage_error(str(exc)) from exc
    except OSError as exc:
        raise _usage_error(f"cannot read {path}: {exc.strerror or exc}") from exc


def _summary(res: Any) -> dict[str, Any]:
    """``watchlist inspect``'s object (DESIGN.md) plus ``warnings``; at most
    MAX_ERRORS_SHOWN row errors and warnings are listed (``*_total`` counts them all)."""
    summary: dict[str, Any] = res.summary()
    summary["errors_total"] = len(summary["errors"])
    summary["errors"] = summary["errors"][:MAX_ERRORS_SHOWN]
    # Values dropped from entries that were kept (future or unreadable birth dates, empty
    # document numbers, unknown countries), with their line.
    summary["warnings_total"] = len(res.warnings)
    summary["warnings"] = [{"line": w.line, "warning": w.error} for w in res.warnings[:MAX_ERRORS_SHOWN]]
    return summary


# -- serve -----------------------------------------------------------------------
@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default: APIS_MATCHER_HOST)")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="port (default: APIS_MATCHER_PORT)")] = None,
) -> None:
    """Run the REST API and the screening workers (keeps retrying while the broker is down)."""
    import uvicorn

    from app.api import create_app
    from app.service import Service

    settings = _settings()
    service = Service(settings)
    api = create_app(service, exit_on_failure=True)
    uvicorn.run(api, host=host or settings.host, port=settings.port if port is None else port, log_config=None,
                access_log=False)
    if service.failure:
        typer.echo(f"error: the service stopped: {service.failure}", err=True)
        raise typer.Exit(code=1)


# -- demo ------------------------------------------------------------------------
@app.command()
def demo(
    json_output: Annotated[bool, typer.Option("--json", help="print each alert as one JSON line")] = False,
    timeout_s: Annotated[float, typer.Option("--timeout", help="seconds to wait for the alerts")] = 120.0,
    keep_broker: Annotated[bool, typer.Option(
        help="leave the local broker running when the demo started it (later runs start faster)")] = False,
) -> None:
    """The main job on the embedded default: local broker, sample watchlist, sample manifests, alerts printed.

    Logs go to stderr at WARNING unless APIS_MATCHER_LOG_LEVEL is set; alerts go to stdout.
    """
    from app.demo import run_demo

    settings = _settings(quiet=True)
    code = asyncio.run(run_demo(settings, json_output=json_output, timeout_s=timeout_s, keep_broker=keep_broker))
    raise typer.Exit(code=code)


# -- parse -----------------------------------------------------------------------
def _sniff(data: bytes) -> str:
    from schemas.paxlst import looks_like_paxlst
    from schemas.pnrgov import looks_like_pnrgov

    if looks_like_pnrgov(data):
        return "pnrgov"
    return "paxlst" if looks_like_paxlst(data) else "unknown"


def _try_both(data: bytes) -> str:
    """For input whose headers do not say (no UNH, say): the format whose decoder
    recovers travellers, as the stream's decoders would; ``unknown`` when neither does."""
    from schemas.errors import DecodeError
    from schemas.paxlst import decode_paxlst
    from schemas.pnrgov import decode_pnrgov

    for kind, decode in (("paxlst", decode_paxlst), ("pnrgov", decode_pnrgov)):
        try:
            if decode(data).travellers:
                return kind
        except DecodeError:
            continue
    return "unknown"


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="raw EDIFACT message files")],
    fmt: Annotated[ParseFormat, typer.Option("--format", help="message format")] = ParseFormat.auto,
) -> None:
    """Decode raw messages; print one JSON object per file (travellers, warnings, errors).

    Interchanges from senders listed in APIS_MATCHER_EDIFACT_REPETITION_SENDERS are
    split on the UNA repetition separator, as the screening worker splits them."""
    from app.worker import repetition_aware
    from schemas.errors import DecodeError
    from schemas.paxlst import decode_paxlst
    from schemas.pnrgov import decode_pnrgov

    _check_readable(files)
    senders = _settings(quiet=True).edifact_repetition_senders
    paxlst, pnrgov = repetition_aware(decode_paxlst, senders), repetition_aware(decode_pnrgov, senders)
    rejected = False
    for path in files:
        data = path.read_bytes()
        kind = fmt.value if fmt is not ParseFormat.auto else _sniff(data)
        if kind == "unknown":
            kind = _try_both(data)
        record: dict[str, Any] = {"file": str(path), "format": kind.upper(), "messages": [], "travellers": [],
                                  "warnings": [], "errors": []}
        if kind in ("paxlst", "pnrgov"):
            try:
                res = paxlst(data) if kind == "paxlst" else pnrgov(data)
                record["messages"] = [m.to_json() for m in res.messages]
                if kind == "pnrgov":
                    record["pnrs"] = [p.to_json() for p in res.pnrs]  # type: ignore[union-attr]
                record["travellers"] = [t.model_dump(mode="json", by_alias=True, exclude_none=True)
                                        for t in res.travellers]
                record["warnings"] = [w.model_dump(exclude_none=True) for w in res.warnings]
                record["errors"] = [w.model_dump(exclude_none=True) for w in res.errors]
            except DecodeError as exc:
                record["errors"].append({"code": exc.reason, "message": exc.detail})
        else:
            record["errors"].append({"code": "unknown_format", "message": "neither PAXLST nor PNRGOV"})
        if not record["travellers"]:
            rejected = True
        _out(record)
    raise typer.Exit(code=1 if rejected else 0)


# -- screen ----------------------------------------------------------------------
def _pair_watchlists(argv: list[str]) -> list[tuple[Path, str]]:
    """Pair every ``--watchlist`` with the ``--watchlist-format`` that follows it (before
    the next ``--watchlist``); unpaired ones are ``auto``."""
    pairs: list[tuple[Path, str]] = []
    it = iter(range(len(argv)))
    for i in it:
        arg = argv[i]
        name, _, inline = arg.partition("=")
        if name == "--watchlist":
            value = inline if inline else (argv[i + 1] if i + 1 < len(argv) else "")
            pairs.append((Path(value), "auto"))
        elif name == "--watchlist-format":
            value = inline if inline else (argv[i + 1] if i + 1 < len(argv) else "")
            if not pairs:
                raise _usage_error("--watchlist-format must follow the --watchlist it applies to")
            pairs[-1] = (pairs[-1][0], value)
    return pairs


@app.command()
def screen(
    watchlist: Annotated[list[Path], typer.Option("--watchlist", help="watchlist file (repeatable)")],
    travellers: Annotated[Path, typer.Option("--travellers", help="Traveller JSON lines")],
    watchlist_format: Annotated[list[str] | None, typer.Option(
        "--watchlist-format", help="format of the --watchlist before it: " + "|".join(WATCHLIST_FORMATS))] = None,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="overrides every list's threshold")] = None,
) -> None:
    """Offline batch screening: one output line per traveller with its hits, best first."""
    from pydantic import ValidationError

    from app.watchlist_state import build_match_config
    from matchers import Screener
    from schemas.records import Traveller
    from schemas.screening import entry_to_person, result_to_hit, traveller_to_person

    settings = _settings()
    for f in watchlist_format or []:
        if f not in WATCHLIST_FORMATS:
            raise _usage_error(f"unknown --watchlist-format {f!r}; one of {', '.join(WATCHLIST_FORMATS)}")
    argv = sys.argv[1:]
    pairs = _pair_watchlists(argv) if "--watchlist" in " ".join(argv) else []
    if len(pairs) != len(watchlist):
        pairs = [(p, (watchlist_format or [])[i] if i < len(watchlist_format or []) else "auto")
                 for i, p in enumerate(watchlist)]
    _check_readable([travellers])
    entries = []
    for path, fmt in pairs:
        res = _read_list(path, fmt, None)
        for err in res.errors[:5]:
            typer.echo(f"warning: {path}: line {err.line}: {err.error}", err=True)
        if len(res.errors) > 5:
            typer.echo(f"warning: {path}: {len(res.errors)} bad rows in all", err=True)
        entries.extend(res.entries)
    if not entries:
        typer.echo("error: the watchlists yield no entry; nothing to screen against", err=True)
        raise typer.Exit(code=1)
    versions = {e.key: e.list_version for e in entries}
    screener = Screener([entry_to_person(e) for e in entries], build_match_config(settings))
    bad = 0
    with travellers.open("rb") as fh:
        batch: list[Traveller] = []

        def flush() -> None:
            results = screener.screen([traveller_to_person(t) for t in batch], threshold=threshold)
            for t, matches in zip(batch, results, strict=True):
                hits = [result_to_hit(r, list_version=versions.get(f"{r.list_id}:{r.entry_id}")) for r in matches]
                _out({"traveller_id": t.traveller_id,
                      "hits": [h.model_dump(mode="json", by_alias=True) for h in hits]})
            batch.clear()

        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                traveller = Traveller.model_validate_json(line)
            except ValidationError as exc:
                bad += 1
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"])
                typer.echo(f"warning: {travellers}:{lineno}: not a Traveller: {where}: {err['msg']}", err=True)
                continue
            if not traveller.display_name().strip():
                bad += 1
                typer.echo(f"warning: {travellers}:{lineno}: traveller {traveller.traveller_id} has no name; skipped",
                           err=True)
                continue
            batch.append(traveller)
            if len(batch) >= 500:
                flush()
        if batch:
            flush()
    raise typer.Exit(code=1 if bad else 0)


# -- watchlist -------------------------------------------------------------------
@watchlist_app.command("inspect")
def watchlist_inspect(
    path: Annotated[Path, typer.Argument(help="watchlist file")],
    fmt: Annotated[str, typer.Option("--format", help="|".join(WATCHLIST_FORMATS))] = "auto",
    list_id: Annotated[str | None, typer.Option("--list-id")] = None,
) -> None:
    """Read a list file without publishing it; print its counts as one JSON object."""
    _out(_summary(_read_list(path, fmt, list_id)))


@watchlist_app.command("import")
def watchlist_import(
    path: Annotated[Path, typer.Argument(help="watchlist file (or OFAC folder)")],
    list_id: Annotated[str, typer.Option("--list-id", help="the list's id on the topic (letters, digits, . _ -)")],
    fmt: Annotated[str, typer.Option("--format", help="|".join(WATCHLIST_FORMATS))] = "auto",
    owner: Annotated[str | None, typer.Option(help="owning agency code")] = None,
    shareable: Annotated[bool, typer.Option(help="may its hits be shared with the partner")] = True,
    force: Annotated[bool, typer.Option(
        help="publish even when the file yields no entry or more bad rows than entries")] = False,
) -> None:
    """Publish a list to watchlist.entries (replaces it: entries no longer present get tombstones).

    Refuses (exit 1) a file that yields no entry, or more bad rows than entries, unless
    --force: such an import would wipe the live list.
    """
    from rich.console import Console
    from rich.progress import Progress

    from app.publish import check_list_id, publish_watchlist
    from app.topics import ensure_topics

    try:
        check_list_id(list_id)
    except ValueError as exc:
        raise _usage_error(str(exc)) from exc
    if fmt not in WATCHLIST_FORMATS:
        raise _usage_error(f"unknown --format {fmt!r}; one of {', '.join(WATCHLIST_FORMATS)}")
    settings = _settings()
    res = _read_list(path, fmt, list_id)
    if not force and (not res.entries or len(res.errors) > len(res.entries)):
        typer.echo(f"error: {path} yields {len(res.entries)} entries and {len(res.errors)} bad rows; "
                   "not publishing (it would replace the live list). Check --format, or use --force.", err=True)
        _out(_summary(res))
        raise typer.Exit(code=1)

    async def go() -> Any:
        if settings.create_topics:
            await ensure_topics(settings)
        with Progress(transient=True, console=Console(stderr=True)) as progress:
            task = progress.add_task(f"publishing {list_id}", total=len(res.entries))
            return await publish_watchlist(
                settings, res.entries, list_id=list_id, source=str(path), fmt=res.format, version=res.list_version,
                owner=owner, shareable=shareable, progress=lambda n: progress.advance(task, n))

    try:
        report = asyncio.run(go())
    except Exception as exc:
        typer.echo(f"error: publishing failed: {exc!r}", err=True)
        raise typer.Exit(code=1) from exc
    _out({**report.to_json(), "summary": _summary(res)})


# -- replay ----------------------------------------------------------------------
@app.command()
def replay(
    paths: Annotated[list[Path], typer.Argument(help="raw message files, one message per file")],
    topic: Annotated[str, typer.Option("--topic", help="target topic, e.g. apis.paxlst.raw")],
) -> None:
    """Publish raw message files to a topic (one record per file)."""
    from app.publish import UnknownTopic, replay_files

    settings = _settings()
    _check_readable(paths)
    try:
        sent = asyncio.run(replay_files(settings, paths, topic=topic))
    except UnknownTopic as exc:
        raise _usage_error(str(exc)) from exc
    except Exception as exc:
        typer.echo(f"error: replay failed: {exc!r}", err=True)
        raise typer.Exit(code=1) from exc
    for name, partition, offset in sent:
        _out({"file": name, "topic": topic, "partition": partition, "offset": offset})


# -- keys ------------------------------------------------------------------------
def _key_store() -> Any:
    from app.alert_store import Database
    from app.audit import AuditLog
    from app.auth import KeyStore

    settings = _settings(quiet=True)
    db = Database(settings.db_path)
    return KeyStore(db), AuditLog(db)


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help="operator | admin | feed")],
    name: Annotated[str, typer.Option("--name", help="who or what uses the key")],
) -> None:
    """Create an API key; prints {"id","name","role","created_at","key"} once (only its hash is kept)."""
    from app.auth import ROLES

    if role not in ROLES:
        raise _usage_error(f"unknown --role {role!r}; one of {', '.join(ROLES)}")
    if not name.strip():
        raise _usage_error("--name must not be empty")
    store, audit = _key_store()
    record, key = store.create(role=role, name=name, created_by="cli")
    audit.record(actor="cli", auth="cli", action="keys.create", target=f"key:{record.id}", result_count=1)
    _out({"id": record.id, "name": record.name, "role": record.role, "created_at": record.created_at, "key": key})


@keys_app.command("list")
def keys_list() -> None:
    """One JSON line per key (never the key itself)."""
    store, _ = _key_store()
    for k in store.list():
        _out(dict(k.__dict__))


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the key's id (keys list)")]) -> None:
    """Revoke a key at once; exit 1 when no active key has this id."""
    store, audit = _key_store()
    if not store.revoke(key_id):
        typer.echo(f"error: no active key {key_id!r}", err=True)
        raise typer.Exit(code=1)
    audit.record(actor="cli", auth="cli", action="keys.revoke", target=f"key:{key_id}", result_count=1)
    _out({"id": key_id, "revoked": True})


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
