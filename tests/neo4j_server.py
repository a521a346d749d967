"""The real Neo4j 5 server of the tests (and of benchmarks/store_speed.py): the launcher in
``tests/neo4j`` (built by ``make neo4j`` / ``make test``: ``mvn -q -B package``) run as a
child process with a modest heap, its data in a temporary folder.

Standard input steers it for the failure tests (see ``Launcher.java``): ``read-only``,
``read-write``, ``starting`` (the database refuses work as while it starts), ``started``.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "neo4j"
CLASSPATH = LAUNCHER / "target" / "classpath.txt"
CLASSES = LAUNCHER / "target" / "classes"
START_TIMEOUT = 120.0


class Neo4jNotBuilt(RuntimeError):
    pass


def java_command(data_dir: Path, heap: str = "512m") -> list[str]:
    if not CLASSPATH.exists() or not (CLASSES / "graphmind" / "neo4j" / "Launcher.class").exists():
        raise Neo4jNotBuilt("the test Neo4j is not built: run `make neo4j-build` (cd tests/neo4j && mvn -q -B package)")
    java = shutil.which("java")
    if not java:
        raise Neo4jNotBuilt("the test Neo4j needs Java 17 (java is not on PATH)")
    classpath = f"{CLASSES}{os.pathsep}{CLASSPATH.read_text(encoding='utf-8').strip()}"
    return [java, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-cp", classpath, "graphmind.neo4j.Launcher",
            str(data_dir)]


@dataclass
class Neo4jServer:
    """A running launcher: its Bolt URI, user and password, and a line-based control."""

    process: subprocess.Popen
    data_dir: Path
    uri: str
    user: str
    password: str
    database: str
    version: str

    def __post_init__(self):
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.process.stdout:
            self._lines.put(line.strip())

    def control(self, command: str, timeout: float = 60.0) -> None:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line == f"ok {command}":
                return
            if line.startswith(f"error {command}"):
                raise RuntimeError(f"the test Neo4j refused {command!r}: {line}")
        raise RuntimeError(f"the test Neo4j did not answer {command!r} within {timeout:.0f} s")

    def stop(self, timeout: float = 60.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the launcher's shutdown hook stops the databases cleanly
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


def start(data_dir: Path, heap: str = "512m") -> Neo4jServer:
    """Start the test Neo4j on a free loopback port and wait until it answers on Bolt."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / "launcher.log", "ab")
    process = subprocess.Popen(java_command(data_dir, heap), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=log, text=True, bufsize=1, start_new_session=True)
    log.close()
    deadline = time.monotonic() + START_TIMEOUT
    ready = None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if " ready on " in line:
            ready = line
            break
    if ready is None:
        process.kill()
        process.wait()
        raise RuntimeError(f"the test Neo4j did not start; see {data_dir / 'launcher.log'} and {data_dir / 'home' / 'logs'}")
    state = json.loads((data_dir / "neo4j.json").read_text(encoding="utf-8"))
    password = (data_dir / "password").read_text(encoding="utf-8").strip()
    return Neo4jServer(process, data_dir, f"bolt://127.0.0.1:{state['bolt_port']}", state["user"], password,
                       state["database"], state["version"])
