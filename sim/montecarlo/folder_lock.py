"""An exclusive lock on an output folder, so two batches can never write into one folder at once.

The lock is an operating-system lock on ``<folder>/.lock`` (``flock`` on POSIX, ``msvcrt.locking`` on
Windows): the system releases it when the holder exits, however it exits, so a killed batch never leaves a
stale lock behind. The file records the holder's process id for the refusal message.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"


class FolderBusy(RuntimeError):
    """Another process holds the folder's lock."""


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:     # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock for the ``with`` block; FolderBusy at once if another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if not _try_lock(fd):
            os.lseek(fd, 0, os.SEEK_SET)
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            raise FolderBusy(f"{folder} is in use by another batch (process {holder}); wait for it to finish "
                             "or use another --out folder")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
