"""Distributed extraction on a real Dask cluster gives the graph of a local build."""
from __future__ import annotations

import pytest

from kg.build import build
from test_parallel import light_pipeline

distributed = pytest.importorskip("dask.distributed", reason="the dask extra is part of the test extra")


def test_dask_cluster_build_equals_the_local_build(small_corpus, tmp_path):
    pipeline = light_pipeline()
    local = build([small_corpus], tmp_path / "local", html=False, pipeline=pipeline)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = build([small_corpus], tmp_path / "dask", html=False, pipeline=pipeline,
                       scheduler=cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            # the work ran in the worker processes, each of which built its own pipeline
            built = client.run(lambda: len(__import__("kg.parallel").parallel._WORKER_PIPELINES))
            assert len(built) == 2 and sum(built.values()) >= 1
    assert (tmp_path / "dask" / "kg.ttl").read_bytes() == (tmp_path / "local" / "kg.ttl").read_bytes()
    assert (remote.articles, remote.triples, remote.skipped) == (local.articles, local.triples, local.skipped)

