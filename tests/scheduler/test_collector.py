"""The collector's pace during jobs: raised while any job runs, restored after the last."""

from __future__ import annotations

import gc

import pytest

from scheduler.collector import JOB_THRESHOLD, job_pace


@pytest.fixture
def default_pace():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_threshold_is_raised_inside_and_restored_after(default_pace):
    with job_pace():
        assert gc.get_threshold() == (JOB_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_jobs_restore_only_when_the_last_ends(default_pace):
    first, second = job_pace(), job_pace()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] == JOB_THRESHOLD
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_when_the_job_fails(default_pace):
    with pytest.raises(RuntimeError), job_pace():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)
