"""One ``concurrent.futures.Executor`` for every batch: a local process pool, or a Dask cluster.

``--dask ADDRESS`` connects a ``distributed.Client`` to a running scheduler (e.g. ``tcp://10.0.0.5:8786``);
``--dask local`` starts a ``LocalCluster`` on this machine. Either way the batch code only sees
``Executor.submit``; no home-made cluster code.
"""
from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager


@contextmanager
def make_executor(workers: int, dask: str | None = None) -> Iterator[Executor]:
    if dask is None:
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method)) as pool:
            yield pool
        return
    from distributed import Client, LocalCluster

    if dask == "local":
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                yield client.get_executor(pure=False)
    else:
        with Client(dask) as client:
            yield client.get_executor(pure=False)
