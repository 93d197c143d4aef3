"""Structured logging: one JSON object per line on stderr (python-json-logger).

Log records carry topic/partition/offset/message reference through ``extra=``; they never
carry names, dates of birth or document numbers at INFO level or above.
"""

from __future__ import annotations

import logging
import sys
import time

from pythonjsonlogger.json import JsonFormatter


class RepeatFilter(logging.Filter):
    """Lets one record per (logger, message template) through every ``interval_s`` for
    the loggers under ``prefix`` (aiokafka logs a retried broker outage many times a
    second); the next one let through carries ``suppressed`` = how many were dropped."""

    def __init__(self, prefix: str = "aiokafka", interval_s: float = 30.0) -> None:
        super().__init__()
        self.prefix = prefix
        self.interval_s = interval_s
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.prefix):
            return True
        key = (record.name, str(record.msg))
        now = time.monotonic()
        last, dropped = self._seen.get(key, (-1e18, 0))
        if now - last < self.interval_s:
            self._seen[key] = (last, dropped + 1)
            return False
        if dropped:
            record.suppressed = dropped
        self._seen[key] = (now, 0)
        if len(self._seen) > 1000:
            self._seen.clear()
        return True


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
    handler.addFilter(RepeatFilter())
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
