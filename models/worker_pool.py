"""A queue.Queue worker pool: daemon workers take jobs, the main thread
waits with ``join()`` until every job is done.

Workers loop forever on ``yield jobs.get()``; they are daemon threads, so
once the main thread has finished the execution ends even though they are
still blocked in ``get`` -- exactly like CPython, where such a program exits
(blocked daemon threads are not a deadlock).

* ``task_done_after_work``: each worker records its result, then calls
  ``task_done()``.  When ``join()`` returns every result is there.
* ``task_done_too_early``: a worker calls ``task_done()`` *before* recording
  its result; ``join()`` can return while a result is still missing.

    python -m checker models/worker_pool.py
"""

from checker import Queue, Shared, Thread, scenario


def worker(jobs, results, early):
    while True:
        n = yield jobs.get()
        if early:
            jobs.task_done()
        yield
        results.squares = results.squares + (n * n,)
        if not early:
            jobs.task_done()


def pool(workers, count, early):
    jobs = Queue()
    results = Shared(squares=())
    for i in range(workers):
        Thread(name=f"w{i}", target=worker, args=(jobs, results, early), daemon=True).start()
    for n in range(count):
        jobs.put_nowait(n)
    yield jobs.join()
    done = sorted(results.squares)
    assert done == [n * n for n in range(count)], f"join() returned with results {done}"


@scenario(expect="safe")
def task_done_after_work(workers=2, count=2):
    """task_done() after the result is recorded: join() waits for all results."""
    yield from pool(workers, count, early=False)


@scenario(expect="assertion")
def task_done_too_early(workers=2, count=2):
    """task_done() before the result is recorded: join() may return too soon."""
    yield from pool(workers, count, early=True)
