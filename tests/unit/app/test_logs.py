import logging

from app.logs import RepeatFilter


def record(name: str, msg: str) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, (), None)


def test_repeated_client_errors_are_let_through_once_per_interval() -> None:
    f = RepeatFilter(interval_s=3600)
    assert f.filter(record("aiokafka.conn", "Unable connect to %s"))
    assert not f.filter(record("aiokafka.conn", "Unable connect to %s"))
    assert not f.filter(record("aiokafka.conn", "Unable connect to %s"))
    assert f.filter(record("aiokafka.conn", "another message"))
    assert f.filter(record("app.worker", "Unable connect to %s"))   # our own logs are never dropped
    assert f.filter(record("app.worker", "Unable connect to %s"))
    f.interval_s = 0
    passed = record("aiokafka.conn", "Unable connect to %s")
    assert f.filter(passed) and passed.suppressed == 2
