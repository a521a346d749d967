"""Outputs that are never half-written.

Every file GraphMind writes is written beside its final place, flushed to disk and renamed
over it (``atomic_file``); a dataset folder is built as a sibling folder and swapped in as a
whole (``atomic_dir``). A reader sees the old output or the new one, never a mix, and an
interrupted run (Ctrl-C, SIGTERM, a full disk) leaves the old output as it was and no
temporary files: they are removed on the way out, and the next run removes any that a killed
process (``kill -9``) left behind.

File-system errors become one line that names the path and what to do (``output_error``).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .exceptions import GraphMindError

TEMP_MARK = ".graphmind-tmp-"  # .NAME.graphmind-tmp-PID-XXXX: a file or folder being written
OLD_MARK = ".graphmind-old-"  # .NAME.graphmind-old-PID: the old folder during a swap without RENAME_EXCHANGE


class OutputError(GraphMindError):
    """An output that could not be written; nothing of it was left behind."""


def output_error(path: str | os.PathLike, exc: OSError, option: str = "--out") -> OutputError:
    """One line for a file-system error while writing ``path``: what happened and what to do."""
    path = Path(path)
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        why = f"the disk is full (or over quota); free some space or choose another {option}"
    elif code == errno.ENOENT:
        why = f"the folder {path.parent} does not exist; create it or choose another {option}"
    elif code in (errno.EACCES, errno.EPERM):
        why = f"permission denied; choose a folder you can write to with {option}"
    elif code == errno.EROFS:
        why = f"the file system is read-only; choose another {option}"
    elif code == errno.EISDIR:
        why = f"it is a folder; name a file with {option}"
    elif code == errno.ENOTDIR:
        why = f"a part of the path is a file, not a folder; choose another {option}"
    else:
        why = f"{exc.strerror or exc}; choose another {option}"
    return OutputError(f"cannot write {path}: {why}; nothing was written")


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """True for a live process (a zombie, exited but not yet reaped, is not alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def _leftovers(parent: Path, name: str) -> Iterator[tuple[Path, str]]:
    """Temporary siblings of ``parent/name`` whose writer is gone: (path, kind)."""
    pattern = re.compile(re.escape(f".{name}") + r"(" + re.escape(TEMP_MARK) + "|" + re.escape(OLD_MARK) + r")(\d+)")
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        m = pattern.match(entry.name)
        if m and not pid_alive(int(m.group(2))):
            yield Path(entry.path), "old" if m.group(1) == OLD_MARK else "temp"


def clean_leftovers(path: str | os.PathLike) -> None:
    """Remove what an interrupted writer of ``path`` left; if it was killed between the two
    renames of a swap (only without RENAME_EXCHANGE), put the old folder back first."""
    path = Path(path)
    for leftover, kind in _leftovers(path.parent, path.name):
        if kind == "old" and not os.path.lexists(path):
            os.rename(leftover, path)
            continue
        _remove(leftover)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _check_target(path: Path, option: str, kind: str) -> None:
    """Refuse before any work when ``path`` cannot be the output."""
    if kind == "file" and path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; name a file with {option}")
    if kind == "dir" and path.exists() and not path.is_dir():
        raise OutputError(f"cannot write {path}: it is a file, not a folder; choose a folder with {option}")
    parent = path.parent
    if not parent.exists():
        raise OutputError(f"cannot write {path}: the folder {parent} does not exist; create it or choose "
                          f"another {option}; nothing was written")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: {parent} is a file, not a folder; choose another {option}; "
                          "nothing was written")
    if not os.access(parent, os.W_OK | os.X_OK):
        where = os.path.abspath(parent)
        try:
            read_only = bool(os.statvfs(parent).f_flag & os.ST_RDONLY)
        except OSError:
            read_only = False
        why = f"the file system of {where} is read-only" if read_only else f"permission denied in {where}"
        raise OutputError(f"cannot write {path}: {why}; choose a folder you can write to with {option}; "
                          "nothing was written")


def check_output_file(path: str | os.PathLike, option: str = "--out") -> None:
    """Fail early (before any long work) when ``path`` cannot be written as a file."""
    _check_target(Path(path), option, "file")


def check_output_dir(path: str | os.PathLike, option: str = "--out") -> None:
    """Fail early (before any long work) when ``path`` cannot be written as a folder."""
    _check_target(_resolved_dir(Path(path)), option, "dir")


@contextmanager
def atomic_file(path: str | os.PathLike, option: str = "--out", encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file opened beside ``path``; on a clean exit it is flushed, synced and renamed
    over ``path`` (with the usual permissions, not a temporary file's owner-only ones). On any
    error or interruption it is removed and ``path`` stays as it was."""
    path = Path(path)
    _check_target(path, option, "file")
    clean_leftovers(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}{os.getpid()}-", dir=path.parent)
    except OSError as exc:
        raise output_error(path, exc, option) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        _remove(Path(tmp))
        raise output_error(path, exc, option) from None
    except BaseException:
        _remove(Path(tmp))
        raise


def write_text(path: str | os.PathLike, text: str, option: str = "--out") -> Path:
    """Write ``text`` to ``path`` whole or not at all."""
    with atomic_file(path, option) as f:
        f.write(text)
    return Path(path)


def _resolved_dir(path: Path) -> Path:
    """A folder given through a symbolic link is replaced where the link points."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _sync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            if os.path.islink(p):
                continue
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _carry_over(old: Path, stage: Path, skip: set[str]) -> None:
    """Files of the old folder that this run does not write stay in the new one (hard links:
    nothing is copied; a copy where links are not possible)."""
    for entry in os.scandir(old):
        if entry.name in skip or os.path.lexists(stage / entry.name):
            continue
        src, dst = Path(entry.path), stage / entry.name
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(src, dst)


def _link_or_copy(src, dst) -> None:
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@contextmanager
def atomic_dir(path: str | os.PathLike, option: str = "--out", drop: tuple[str, ...] = ()) -> Iterator[Path]:
    """A new folder beside ``path`` to write into; on a clean exit it is synced and swapped in
    for ``path`` as a whole (the old folder stays intact until that moment). Files of the old
    folder the new one does not have are kept, except the names in ``drop`` (stray temporary
    files of earlier versions). On any error or interruption the new folder is removed."""
    path = _resolved_dir(Path(path))
    _check_target(path, option, "dir")
    clean_leftovers(path)
    stage = path.parent / f".{path.name}{TEMP_MARK}{os.getpid()}-{os.urandom(3).hex()}"
    try:
        stage.mkdir(mode=0o777)
    except OSError as exc:
        raise output_error(path, exc, option) from None
    old = path.parent / f".{path.name}{OLD_MARK}{os.getpid()}"

    def undo() -> None:
        if os.path.lexists(old) and not os.path.lexists(path):  # stopped between the two renames
            os.rename(old, path)
        _remove(stage)

    try:
        yield stage
        if path.is_dir():
            _carry_over(path, stage, set(drop))
        _sync_tree(stage)
        if path.is_dir():
            if _exchange(stage, path):
                _remove(stage)  # the old folder, now at the temporary name
            else:
                os.rename(path, old)
                os.rename(stage, path)
                _remove(old)
        else:
            os.rename(stage, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        undo()
        raise output_error(path, exc, option) from None
    except BaseException:
        undo()
        raise
