"""The bundled local graph server: ArcadeDB (from the ``arcadedb-embedded`` package, with
its own Java runtime) speaking Bolt on a loopback port.

GraphMind runs it as a separate process (``python -m graphmind.store.server run``) so that
the JVM never lives inside the command's own interpreter. Its state (ports, password,
pid) is kept in ``<data dir>/server.json`` with owner-only permissions; the password is
generated, handed to the server through the environment, and never printed.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..exceptions import StoreError

DEFAULT_DATA_DIR = ".graphmind"
DATABASE = "graphmind"
USER = "root"
STATE_FILE = "server.json"
LOG_FILE = "server.log"
START_TIMEOUT = 90.0
_PASSWORD_ENV = "GRAPHMIND_LOCAL_PASSWORD"


@dataclass
class ServerState:
    pid: int
    bolt_port: int
    http_port: int
    password: str
    database: str = DATABASE
    user: str = USER

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def data_dir(path: str | os.PathLike | None = None) -> Path:
    return Path(path or os.environ.get("GRAPHMIND_DATA_DIR") or DEFAULT_DATA_DIR)


def default_heap() -> str:
    return os.environ.get("GRAPHMIND_HEAP", "1g")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(directory: Path) -> ServerState | None:
    path = directory / STATE_FILE
    try:
        return ServerState(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write_state(directory: Path, state: ServerState) -> None:
    path = directory / STATE_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(state), f)
    os.chmod(path, 0o600)


def _password(directory: Path) -> str:
    """The root password of this data directory: generated once, kept owner-only (the
    server keeps its users with the data, so the password must outlive a restart)."""
    path = directory / "password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password)
    return password


def running_state(directory: Path) -> ServerState | None:
    """The state of a server that is really up, or None (stale state is removed)."""
    state = read_state(directory)
    if state is None:
        return None
    if _pid_alive(state.pid) and port_open(state.bolt_port):
        return state
    if not _pid_alive(state.pid):
        (directory / STATE_FILE).unlink(missing_ok=True)
    return None


def start(directory: str | os.PathLike | None = None, heap: str | None = None) -> tuple[ServerState, bool]:
    """Start the local server for ``directory`` unless one runs. Returns (state, started)."""
    directory = data_dir(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    state = running_state(directory)
    if state:
        return state, False
    password = _password(directory)
    bolt_port, http_port = free_port(), free_port()
    env = dict(os.environ)
    env[_PASSWORD_ENV] = password
    log = open(directory / LOG_FILE, "ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphmind.store.server", "run", str(directory),
         str(bolt_port), str(http_port), heap or default_heap()],
        cwd=directory, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        start_new_session=True,
    )
    log.close()
    state = ServerState(pid=proc.pid, bolt_port=bolt_port, http_port=http_port, password=password)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StoreError(
                f"the local graph server stopped while starting (exit {proc.returncode}); "
                f"see {directory / LOG_FILE}"
            )
        if port_open(bolt_port) and (directory / "ready").exists():
            _write_state(directory, state)
            return state, True
        time.sleep(0.2)
    proc.kill()
    raise StoreError(f"the local graph server did not start within {START_TIMEOUT:.0f} s; see {directory / LOG_FILE}")


def stop(directory: str | os.PathLike | None = None, timeout: float = 30.0) -> bool:
    """Stop the local server of ``directory``. Returns False when none was running."""
    directory = data_dir(directory).resolve()
    state = read_state(directory)
    if state is None or not _pid_alive(state.pid):
        (directory / STATE_FILE).unlink(missing_ok=True)
        return False
    os.kill(state.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid_alive(state.pid):
        try:  # reap our own child so that it does not linger as a zombie
            if os.waitpid(state.pid, os.WNOHANG)[0]:
                break
        except ChildProcessError:
            pass
        time.sleep(0.1)
    if _pid_alive(state.pid):
        os.kill(state.pid, signal.SIGKILL)
    (directory / STATE_FILE).unlink(missing_ok=True)
    return True


def _run(directory: str, bolt_port: int, http_port: int, heap: str) -> None:
    """The server process: start ArcadeDB with the Bolt plugin on loopback and wait."""
    password = os.environ.pop(_PASSWORD_ENV)
    root = Path(directory)
    (root / "ready").unlink(missing_ok=True)
    from arcadedb_embedded.server import ArcadeDBServer

    server = ArcadeDBServer(
        str(root / "databases"),
        password,
        config={
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": bolt_port,
            "http_port": http_port,
            "host": "127.0.0.1",
            "mode": "production",
        },
        jvm_kwargs={"heap_size": heap},
    )
    server.start()
    if not (root / "databases" / DATABASE).exists():
        server.create_database(DATABASE)
    (root / "ready").touch()
    stopping = False

    def on_term(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    while not stopping:
        time.sleep(0.2)
    (root / "ready").unlink(missing_ok=True)
    try:
        server.stop()
    finally:
        os._exit(0)  # the JVM must not be torn down by the interpreter's exit


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "run":
        _run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        print("usage: python -m graphmind.store.server run DIR BOLT_PORT HTTP_PORT HEAP", file=sys.stderr)
        sys.exit(2)
