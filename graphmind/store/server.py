"""The bundled local graph server: ArcadeDB (from the ``arcadedb-embedded`` package, with
its own Java runtime) speaking Bolt on a loopback port.

GraphMind runs it as a separate process (``python -m graphmind.store.server run``) so that
the JVM never lives inside the command's own interpreter. Its state (ports, password,
pid) is kept in ``<data dir>/server.json`` with owner-only permissions; the password is
generated, handed to the server through the environment, and never printed.

One server per data folder: it is started, adopted and stopped under a lock on the folder,
so two commands started at once share one server (the second waits for the first to start
it). A server a command starts for itself is stopped by the last command that uses it, also
on Ctrl-C or SIGTERM; if those commands were killed outright, the server notices that nobody
uses it any more and stops itself. ``graphmind db start`` starts one that stays.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from ..exceptions import StoreError
from ..fsio import pid_alive
from ..redact import remember

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
    status: str = "running"  # "starting" from the moment the process exists, then "running"
    on_demand: bool = False  # started by a command for itself: the last command using it stops it

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


def _is_server(pid: int) -> bool:
    """``pid`` is a live local-server process (not another process that reused the number)."""
    if not pid_alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"graphmind.store.server" in f.read()
    except OSError:
        return True  # no /proc: trust the pid


def _reap(pid: int) -> None:
    try:  # our own child: collect it so that it does not linger as a zombie
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def read_state(directory: Path) -> ServerState | None:
    path = directory / STATE_FILE
    try:
        state = ServerState(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    remember(state.password)  # masked in anything printed from now on
    return state


def _write_state(directory: Path, state: ServerState) -> None:
    """Replace the state file whole (owner-only): a reader never sees half of it."""
    path = directory / STATE_FILE
    tmp = directory / f".{STATE_FILE}.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(state), f)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _password(directory: Path) -> str:
    """The root password of this data directory: generated once, kept owner-only (the
    server keeps its users with the data, so the password must outlive a restart)."""
    path = directory / "password"
    if path.exists():
        password = path.read_text(encoding="utf-8").strip()
        remember(password)
        return password
    password = secrets.token_urlsafe(24)
    remember(password)
    tmp = directory / f".password.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return password


# -- locks --------------------------------------------------------------------------
# server.lock (exclusive) is held while a server of the folder is started, adopted or
# stopped: one server per folder, and the state file changes under it only. clients.lock is
# held shared by every command using the server: the command that leaves last (it gets the
# lock exclusively) stops a server that was started on demand. The kernel drops both locks
# of a process that dies, however it dies.
LOCK_FILE = "server.lock"
CLIENTS_FILE = "clients.lock"
LOCK_TIMEOUT = START_TIMEOUT + 60.0


def _open_lock(directory: Path, name: str) -> int:
    return os.open(directory / name, os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def _locked(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the folder's server lock; wait for another command that holds it."""
    fd = _open_lock(directory, LOCK_FILE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"another graphmind command has held the local server of {directory} for "
                                     f"{timeout:.0f} s; wait for it, or stop it (graphmind db stop)") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def _try_exclusive(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _state_of_live_server(directory: Path) -> ServerState | None:
    """The state file's server if its process lives; a stale state file is removed. Call
    with the server lock held."""
    state = read_state(directory)
    if state is None:
        return None
    if _is_server(state.pid):
        return state
    _reap(state.pid)
    (directory / STATE_FILE).unlink(missing_ok=True)
    return None


def running_state(directory: Path) -> ServerState | None:
    """The state of a server that is really up and answering, or None."""
    state = read_state(directory)
    if state is None or state.status != "running" or not _is_server(state.pid):
        return None
    return state if port_open(state.bolt_port) else None


def status(directory: Path) -> tuple[str, ServerState | None]:
    """("running" | "starting" | "not running", state) as the state file and the process say."""
    state = read_state(directory)
    if state is None or not _is_server(state.pid):
        return "not running", None
    if state.status == "running" and port_open(state.bolt_port):
        return "running", state
    return "starting", state


def _spawn(directory: Path, heap: str | None, on_demand: bool) -> ServerState:
    """Start the server process and wait until it answers. Call with the server lock held.
    The state file names the process from the moment it exists; a start that fails or is
    interrupted stops the process and removes the state."""
    password = _password(directory)
    bolt_port, http_port = free_port(), free_port()
    env = dict(os.environ)
    env[_PASSWORD_ENV] = password
    (directory / "ready").unlink(missing_ok=True)
    with open(directory / LOG_FILE, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "graphmind.store.server", "run", str(directory),
             str(bolt_port), str(http_port), heap or default_heap()],
            cwd=directory, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True,
        )
    state = ServerState(pid=proc.pid, bolt_port=bolt_port, http_port=http_port, password=password,
                        status="starting", on_demand=on_demand)
    try:
        _write_state(directory, state)
        _wait_ready(directory, state, proc)
        state.status = "running"
        _write_state(directory, state)
        return state
    except BaseException:
        _terminate(proc.pid)
        (directory / STATE_FILE).unlink(missing_ok=True)
        raise


def _wait_ready(directory: Path, state: ServerState, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        exited = proc.poll() is not None if proc is not None else not _is_server(state.pid)
        if exited:
            code = f" (exit {proc.returncode})" if proc is not None else ""
            raise StoreError(f"the local graph server stopped while starting{code}; see {directory / LOG_FILE}")
        if port_open(state.bolt_port) and (directory / "ready").exists():
            return
        time.sleep(0.2)
    raise StoreError(f"the local graph server did not start within {START_TIMEOUT:.0f} s; see {directory / LOG_FILE}")


def _terminate(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM, wait, then SIGKILL; reaps our own child."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not pid_alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    for _ in range(50):
        _reap(pid)
        if not pid_alive(pid):
            return
        time.sleep(0.1)


def _prepare(directory: str | os.PathLike | None) -> Path:
    directory = data_dir(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    return directory


def _ensure(directory: Path, heap: str | None, on_demand: bool) -> tuple[ServerState, bool]:
    """The folder's server, started if none runs. Call with the server lock held."""
    state = _state_of_live_server(directory)
    if state is not None:
        if state.status != "running":  # its starter was killed: let it finish starting
            try:
                _wait_ready(directory, state)
            except StoreError:
                _terminate(state.pid)
                (directory / STATE_FILE).unlink(missing_ok=True)
                return _spawn(directory, heap, on_demand), True
            state.status = "running"
            _write_state(directory, state)
        if state.on_demand and not on_demand:  # `db start` keeps a server some command started
            state.on_demand = False
            _write_state(directory, state)
        return state, False
    return _spawn(directory, heap, on_demand), True


def start(directory: str | os.PathLike | None = None, heap: str | None = None) -> tuple[ServerState, bool]:
    """Start the local server for ``directory`` and leave it running (``graphmind db start``);
    a server that runs already is kept running. Returns (state, started)."""
    directory = _prepare(directory)
    with _locked(directory):
        return _ensure(directory, heap, on_demand=False)


class Lease:
    """A command's use of the folder's server: the server runs while any lease is held; the
    last lease given up stops a server that was started on demand."""

    def __init__(self, directory: Path, state: ServerState, started: bool, fd: int):
        self.directory, self.state, self.started, self._fd = directory, state, started, fd

    def release(self) -> None:
        if self._fd is None:
            return
        os.close(self._fd)  # drops this command's shared lock
        self._fd = None
        with _locked(self.directory):
            state = _state_of_live_server(self.directory)
            if state is None or not state.on_demand or state.pid != self.state.pid:
                return
            fd = _open_lock(self.directory, CLIENTS_FILE)
            try:
                if _try_exclusive(fd):  # no command uses it any more
                    _terminate(state.pid)
                    (self.directory / STATE_FILE).unlink(missing_ok=True)
            finally:
                os.close(fd)


def acquire(directory: str | os.PathLike | None = None, heap: str | None = None) -> Lease:
    """Use the folder's server, starting one on demand; give it back with ``Lease.release``."""
    directory = _prepare(directory)
    with _locked(directory):
        state, started = _ensure(directory, heap, on_demand=True)
        fd = _open_lock(directory, CLIENTS_FILE)
        fcntl.flock(fd, fcntl.LOCK_SH)  # never blocks: exclusive holders hold the server lock too
        return Lease(directory, state, started, fd)


def stop(directory: str | os.PathLike | None = None, timeout: float = 30.0) -> bool:
    """Stop the local server of ``directory`` (``graphmind db stop``). Returns False when none
    was running."""
    directory = data_dir(directory).resolve()
    if not directory.is_dir():
        return False
    with _locked(directory):
        state = _state_of_live_server(directory)
        if state is None:
            return False
        _terminate(state.pid, timeout)
        (directory / STATE_FILE).unlink(missing_ok=True)
        return True


def _idle(root: Path) -> bool:
    """In the server process: this server was started on demand and no command uses it any
    more (its commands were killed before they could stop it). Takes the server lock and
    keeps it (until the process exits) when True."""
    fd = _open_lock(root, LOCK_FILE)
    if not _try_exclusive(fd):
        os.close(fd)
        return False
    state = read_state(root)
    if state is None or state.pid != os.getpid() or not state.on_demand or state.status != "running":
        os.close(fd)
        return False
    clients = _open_lock(root, CLIENTS_FILE)
    if not _try_exclusive(clients):
        os.close(clients)
        os.close(fd)
        return False
    (root / STATE_FILE).unlink(missing_ok=True)
    return True  # both locks stay held until the process exits


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
    idle_check = time.monotonic()
    while not stopping:
        time.sleep(0.2)
        if time.monotonic() - idle_check > 1.0:
            idle_check = time.monotonic()
            if _idle(root):
                break
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
