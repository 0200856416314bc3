"""One ``concurrent.futures.Executor`` for every batch: a local process pool, or a Dask cluster.

``--dask ADDRESS`` connects a ``distributed.Client`` to a running scheduler (e.g. ``tcp://10.0.0.5:8786``);
``--dask local`` starts a ``LocalCluster`` on this machine. Either way the batch code only sees
``Executor.submit``; no home-made cluster code.

The local pool's workers never outlive the batch: they ignore Ctrl-C (the coordinating process decides what
stops, see ``sim.montecarlo.batch``), can be terminated at once (``WorkerPool.terminate_workers``, the method
Python 3.14 adds to ``ProcessPoolExecutor``), and exit by themselves when the coordinating process is gone,
even if it was killed with SIGKILL and could not tell them.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

ORPHAN_CHECK_SECONDS = 1.0      # how often a worker checks that its batch's process is still alive
TERMINATE_WAIT_SECONDS = 2.0    # how long a terminated worker may take before it is killed


def _parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch_parent(coordinator: int, first_parent: int) -> None:
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        # the forkserver dies with the coordinator, so a changed parent means the batch is gone
        if os.getppid() != first_parent or not _parent_alive(coordinator):
            os._exit(1)


def _worker_start(coordinator: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(coordinator, os.getppid()), daemon=True,
                     name="orphan-watch").start()


class WorkerPool(ProcessPoolExecutor):
    """A process pool of ``workers`` (forkserver where available) whose workers can be stopped at once."""

    def __init__(self, workers: int) -> None:
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        super().__init__(max_workers=workers, mp_context=mp.get_context(method), initializer=_worker_start,
                         initargs=(os.getpid(),))
        self.workers = workers

    def terminate_workers(self) -> None:
        """Cancel every queued call and end every worker now (their runs are lost, never half-saved)."""
        processes = list((self._processes or {}).values())
        self.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            if p.is_alive():
                p.terminate()
        deadline = time.monotonic() + TERMINATE_WAIT_SECONDS
        for p in processes:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join()


def capacity(executor: Executor) -> int:
    """How many runs ``executor`` can work on at once (its workers; Dask: the cluster's threads)."""
    if isinstance(executor, WorkerPool):
        return executor.workers
    client = getattr(executor, "_client", None)      # distributed.ClientExecutor
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    return max(1, getattr(executor, "_max_workers", None) or os.cpu_count() or 1)


def stop_workers(executor: Executor) -> None:
    """End ``executor``'s running calls at once where it can (a local pool). Other executors (Dask, one a
    caller passed in) are left running; the batch has cancelled its own queued calls on them."""
    terminate = getattr(executor, "terminate_workers", None)
    if terminate is not None:
        terminate()


@contextmanager
def make_executor(workers: int, dask: str | None = None) -> Iterator[Executor]:
    if dask is None:
        pool = WorkerPool(workers)
        try:
            yield pool
        except BaseException:
            pool.terminate_workers()
            raise
        finally:
            pool.shutdown(wait=True)
        return
    from distributed import Client, LocalCluster

    if dask == "local":
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                yield client.get_executor(pure=False)
    else:
        with Client(dask) as client:
            yield client.get_executor(pure=False)
