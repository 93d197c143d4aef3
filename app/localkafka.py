"""A local single-node Apache Kafka broker (KRaft, combined broker + controller).

Fetches the official broker jars from Maven Central with Maven (``deploy/kafka/pom.xml``),
formats a KRaft store, starts the broker on 127.0.0.1, waits until it answers a metadata
request (an open port is not readiness), and stops it. Used by ``apis-matcher demo``,
the tests and ``.ci/run``; ``python -m app.localkafka {fetch,start,stop,status}``.

Everything lives under ``deploy/kafka/run/`` (jars in ``lib/``, data in ``data/``, the
pid file and ``broker.log``). ``start`` is idempotent: a broker already running from
that folder and answering is reused.

Environment: ``APIS_MATCHER_LOCAL_KAFKA_PORT`` (default 19092; the controller listens on
port + 1), ``APIS_MATCHER_LOCAL_KAFKA_DIR`` (default ``deploy/kafka`` of this checkout),
``APIS_MATCHER_LOCAL_KAFKA_HEAP`` (default ``-Xms256m -Xmx1g``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from app.kafka_utils import broker_answers

DEFAULT_PORT = 19092


class LocalKafkaError(RuntimeError):
    """The local broker could not be fetched, formatted, started or stopped."""


def _default_home() -> Path:
    env = os.environ.get("APIS_MATCHER_LOCAL_KAFKA_DIR")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "deploy" / "kafka"
        if (candidate / "pom.xml").is_file():
            return candidate
    raise LocalKafkaError(
        "deploy/kafka/pom.xml not found next to this installation; set "
        "APIS_MATCHER_LOCAL_KAFKA_DIR or APIS_MATCHER_KAFKA_BOOTSTRAP_SERVERS"
    )


@dataclass(frozen=True)
class LocalKafka:
    """Paths and ports of one local broker. ``port`` is the PLAINTEXT listener on
    127.0.0.1; the KRaft controller listens on ``port + 1``."""

    home: Path
    port: int = DEFAULT_PORT

    @classmethod
    def from_env(cls) -> LocalKafka:
        port = int(os.environ.get("APIS_MATCHER_LOCAL_KAFKA_PORT", DEFAULT_PORT))
        return cls(home=_default_home(), port=port)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def lib_dir(self) -> Path:
        return self.run_dir / "lib"

    @property
    def data_dir(self) -> Path:
        return self.run_dir / "data"

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "broker.pid"

    @property
    def log_file(self) -> Path:
        return self.run_dir / "broker.log"

    @property
    def properties_file(self) -> Path:
        return self.run_dir / "server.properties"

    def _classpath(self) -> str:
        return str(self.lib_dir / "*")

    # -- fetch -----------------------------------------------------------------
    def fetch(self) -> None:
        """Copy the broker jars and their runtime dependencies into ``run/lib``.

        Skipped when ``run/lib`` already holds the jars of the pinned pom (a stamp file
        records the pom's content). Raises LocalKafkaError when Maven fails.
        """
        pom = self.home / "pom.xml"
        stamp = self.lib_dir / ".pom-stamp"
        pom_text = pom.read_text()
        if stamp.is_file() and stamp.read_text() == pom_text:
            return
        self.lib_dir.mkdir(parents=True, exist_ok=True)
        for old in self.lib_dir.glob("*.jar"):
            old.unlink()
        cmd = [
            "mvn", "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
            f"-DoutputDirectory={self.lib_dir}", "-DincludeScope=runtime",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise LocalKafkaError(f"mvn failed ({result.returncode}): {result.stdout[-2000:]}{result.stderr[-2000:]}")
        stamp.write_text(pom_text)

    # -- format ----------------------------------------------------------------
    def _write_properties(self) -> None:
        template = (self.home / "server.properties.in").read_text()
        text = (
            template.replace("@PORT@", str(self.port))
            .replace("@CONTROLLER_PORT@", str(self.port + 1))
            .replace("@LOG_DIR@", str(self.data_dir))
        )
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.properties_file.write_text(text)

    def _java(self, *args: str) -> list[str]:
        return ["java", f"-Dlog4j2.configurationFile={self.home / 'log4j2.xml'}", "-cp", self._classpath(), *args]

    def format_storage(self) -> None:
        """Format the KRaft store once (``kafka.tools.StorageTool format --standalone``)."""
        self._write_properties()
        if (self.data_dir / "meta.properties").is_file():
            return
        cluster_id = subprocess.run(
            self._java("kafka.tools.StorageTool", "random-uuid"), capture_output=True, text=True, check=True
        ).stdout.strip().splitlines()[-1]
        result = subprocess.run(
            self._java("kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(self.properties_file),
                       "--standalone", "-g"),
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise LocalKafkaError(f"storage format failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")

    # -- process ---------------------------------------------------------------
    def pid(self) -> int | None:
        """The broker's pid when its pid file names a live process, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        # A zombie or a reused pid is not our broker.
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return pid
        return pid if b"kafka.Kafka" in cmdline else None

    def start(self, *, timeout_s: float = 120.0) -> bool:
        """Start the broker unless it already runs; wait until it answers metadata.

        Returns True when this call started it, False when it was already running.
        Raises LocalKafkaError when it does not become ready within ``timeout_s``.
        """
        if self.pid() is not None and is_ready(self.bootstrap, timeout_s=10.0):
            return False
        if self.pid() is None and is_ready(self.bootstrap, timeout_s=2.0):
            raise LocalKafkaError(f"another broker already listens on {self.bootstrap}; stop it or change the port")
        self.fetch()
        self.format_storage()
        heap = os.environ.get("APIS_MATCHER_LOCAL_KAFKA_HEAP", "-Xms256m -Xmx1g").split()
        cmd = ["java", *heap, "-XX:+UseG1GC", "-Djava.awt.headless=true",
               f"-Dlog4j2.configurationFile={self.home / 'log4j2.xml'}",
               "-cp", self._classpath(), "kafka.Kafka", str(self.properties_file)]
        log = self.log_file.open("ab")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=self.run_dir)
        log.close()
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise LocalKafkaError(f"broker exited with {proc.returncode}; see {self.log_file}")
            if is_ready(self.bootstrap, timeout_s=5.0):
                return True
            time.sleep(0.5)
        raise LocalKafkaError(f"broker not ready after {timeout_s:.0f} s; see {self.log_file}")

    def stop(self, *, timeout_s: float = 60.0) -> bool:
        """Stop the broker (SIGTERM, then SIGKILL after ``timeout_s``). Returns True when
        a broker was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.pid() is None:
                break
            time.sleep(0.3)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True


def is_ready(bootstrap: str, *, timeout_s: float = 5.0) -> bool:
    """True when a broker at ``bootstrap`` answers a DescribeCluster/metadata request
    with at least one broker and an active controller."""
    quiet = logging.getLogger("aiokafka")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        return asyncio.run(broker_answers({"bootstrap_servers": bootstrap}, timeout_s=timeout_s)) is None
    finally:
        quiet.setLevel(level)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.localkafka", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["fetch", "start", "stop", "status"])
    args = parser.parse_args(argv)
    try:
        kafka = LocalKafka.from_env()
        if args.command == "fetch":
            kafka.fetch()
            print(f"broker jars in {kafka.lib_dir}")
        elif args.command == "start":
            started = kafka.start()
            print(f"{'started' if started else 'already running'}: {kafka.bootstrap} (pid {kafka.pid()})")
        elif args.command == "stop":
            print("stopped" if kafka.stop() else "not running")
        else:
            pid = kafka.pid()
            ready = pid is not None and is_ready(kafka.bootstrap)
            print(f"{'running' if ready else 'not running'}: {kafka.bootstrap} (pid {pid})")
            return 0 if ready else 3
    except LocalKafkaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
