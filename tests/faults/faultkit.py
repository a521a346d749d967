"""Helpers of the fault suite: real `graphmind` processes against the real bundled server, interrupted,
raced, starved of disk and fed hostile input. Every process runs with planted secrets in its
environment; everything any of them prints is kept (``OUTPUTS``) and checked for those
secrets at the end (test_zz_secrets.py)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graphmind.store import server as local_server
from graphmind.store.store import GraphStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

# secrets every process of the suite carries; none may ever be printed
PLANTED = {
    "GRAPHMIND_PASSWORD": "planted-db-password-7f3a9c",
    "OPENAI_API_KEY": "sk-planted-openai-key-51d0e2b8",
    "GRAPHMIND_LLM_API_KEY": "sk-planted-llm-key-9b2d44e1",
}
URI_SECRET = "planted-uri-secret-c41e"
OUTPUTS: list[str] = []  # stdout and stderr of every process the suite ran
# what each process did and how long it took (benchmarks/faults.py prints them; nothing asserts on time)
TIMINGS: list[dict] = []
DATA_DIRS: list[Path] = []  # data folders whose server logs are checked too
INTERRUPTED_LINE = "graphmind: interrupted by "


def env_for(data_dir: Path | None = None, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMIND_")}
    env.update(PLANTED)
    env["PYTHONUNBUFFERED"] = "1"
    if data_dir is not None:
        env["GRAPHMIND_DATA_DIR"] = str(data_dir)
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Proc:
    """A `graphmind` process with its output in files (so that it can be signalled)."""

    def __init__(self, args, env, cwd=None, prefix=None):
        self.args = [str(a) for a in args]
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        cmd = (prefix or []) + [sys.executable, "-m", "graphmind"] + self.args
        self.popen = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=self._out, stderr=self._err,
                                      stdin=subprocess.DEVNULL)
        self.started = time.monotonic()
        self.signalled: tuple[str, float] | None = None
        self.test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
        self.stdout = self.stderr = ""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def signal(self, signum: int) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signum)
            self.signalled = (signal.Signals(signum).name, time.monotonic())

    def wait(self, timeout: float = 300) -> "Proc":
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise AssertionError(f"graphmind {' '.join(self.args)} did not finish within {timeout} s")
        ended = time.monotonic()
        self._out.seek(0)
        self._err.seek(0)
        self.stdout = self._out.read().decode("utf-8", "replace")
        self.stderr = self._err.read().decode("utf-8", "replace")
        self._out.close()
        self._err.close()
        OUTPUTS.append(f"{self.stdout}\n{self.stderr}")  # what the command printed (not its arguments)
        record(self.test, self.args, self.popen.returncode, ended - self.started, self.stderr,
               signal=self.signalled[0] if self.signalled else None,
               after_signal=ended - self.signalled[1] if self.signalled else None)
        return self

    @property
    def code(self) -> int:
        return self.popen.returncode

    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def record(test: str, args, code: int, seconds: float, stderr: str, **extra) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    TIMINGS.append({"test": test, "args": [str(a).replace(URI_SECRET, "***") for a in args], "code": code, "seconds": round(seconds, 2),
                    "last_line": lines[-1] if lines else "", **extra})


def gm(*args, data_dir=None, env=None, timeout=300, cwd=None, prefix=None) -> Proc:
    """Run `graphmind ARGS` to the end."""
    return Proc(args, env or env_for(data_dir), cwd=cwd, prefix=prefix).wait(timeout)


def start(*args, data_dir=None, env=None, cwd=None) -> Proc:
    return Proc(args, env or env_for(data_dir), cwd=cwd)


def assert_one_line_error(proc: Proc, *needles: str, code: int = 1) -> str:
    """Exit status ``code``, no traceback, and the last line of stderr names the problem."""
    assert proc.code == code, (proc.code, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    last = proc.lines()[-1]
    for needle in needles:
        assert needle in last, (needle, proc.stderr)
    return last


def assert_interrupted(proc: Proc, signum: int) -> None:
    """Ended by ``signum``: exit 130/143, no traceback, the interruption said in one line at the end."""
    code = {signal.SIGINT: 130, signal.SIGTERM: 143}[signum]
    assert proc.code == code, (proc.code, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.lines()[-1].startswith(INTERRUPTED_LINE), proc.stderr
    assert sum(INTERRUPTED_LINE in line for line in proc.lines()) == 1, proc.stderr


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders an output writer left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if ".graphmind-tmp-" in p.name or ".graphmind-old-" in p.name
                  or p.name.endswith(".tmp"))


def tree_hash(folder: Path) -> str:
    """A hash of every file's name and content under ``folder``."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def connect(data_dir: Path) -> GraphStore:
    state = local_server.read_state(data_dir.resolve())
    assert state is not None, f"no server runs for {data_dir}"
    return GraphStore(state.uri, state.user, state.password, state.database)


def store_hash(store: GraphStore) -> str:
    """A hash of every node and relationship with their properties (order-free)."""
    nodes = store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    edges = store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props")
    rows = sorted(json.dumps([sorted(n["labels"]), n["props"]], sort_keys=True, default=str) for n in nodes)
    rows += sorted(json.dumps([e["a"], e["t"], e["b"], e["props"]], sort_keys=True, default=str) for e in edges)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def consistent(store: GraphStore) -> None:
    """Nothing half-written: every unit hangs from a paragraph, every paragraph from a document."""
    orphans = store.read("MATCH (u:Unit) WHERE NOT EXISTS { MATCH (:Paragraph)-[:HAS_UNIT]->(u) } RETURN count(u) AS n")
    assert orphans[0]["n"] == 0
    loose = store.read("MATCH (p:Paragraph) WHERE NOT EXISTS { MATCH (:Document)-[:HAS_PARAGRAPH]->(p) } "
                       "RETURN count(p) AS n")
    assert loose[0]["n"] == 0
    counted = store.read("MATCH (p:Paragraph) OPTIONAL MATCH (p)-[:HAS_UNIT]->(u) WITH p, count(u) AS n "
                         "WHERE n <> p.units RETURN count(p) AS bad")
    assert counted[0]["bad"] == 0


def make_corpus(folder: Path, n: int) -> Path:
    """``n`` generated notes, a few paragraphs each, some linking to others."""
    folder.mkdir(parents=True, exist_ok=True)
    topics = ["attention", "memory", "sleep", "reading", "cities", "trees", "habits", "music"]
    for i in range(n):
        t, u = topics[i % len(topics)], topics[(i + 3) % len(topics)]
        (folder / f"note-{i:03d}.md").write_text(
            f"# Note {i} on {t}\n\n"
            f"We should protect {t} because it shapes the day {i}. For example, a walk after lunch helps.\n\n"
            f"Some people say that {t} is overrated. But the evidence from {u} shows otherwise, "
            f"so the claim holds. See [[Note {(i + 1) % n} on {topics[(i + 1) % len(topics)]}]].\n\n"
            f"Therefore {t} deserves a plan, just as a garden needs water.\n", encoding="utf-8")
    return folder


def wait_for(predicate, timeout: float = 60, step: float = 0.1, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def workers_of(data_dir: Path) -> list[int]:
    """Live extraction workers (multiprocessing children) of commands run on ``data_dir``
    (they carry its GRAPHMIND_DATA_DIR), found in /proc."""
    found = []
    marker = f"GRAPHMIND_DATA_DIR={data_dir}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read()
            with open(f"/proc/{entry}/environ", "rb") as f:
                environ = f.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if b"multiprocessing" in cmd and marker in environ and state != b"Z":
            found.append(int(entry))
    return found

