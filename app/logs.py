"""Structured logging: one JSON object per line on stderr (python-json-logger).

Log records carry topic/partition/offset/message reference through ``extra=``; they never
carry names, dates of birth or document numbers at INFO level or above.
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter


def configure_logging(level: str = "INFO", fmt: str = "json", *, client_level: str = "WARNING") -> None:
    """Install one stderr handler on the root logger (idempotent). ``fmt`` is ``json`` or
    ``text``. aiokafka's own chatter is kept at ``client_level`` or above (it reports
    errors it retries by itself, such as a partition leader moving, at ERROR)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_apis_matcher", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._apis_matcher = True  # type: ignore[attr-defined]
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                          rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("aiokafka").setLevel(max(logging.getLevelName(client_level.upper()), root.level))
