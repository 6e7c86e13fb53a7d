"""models/worker_pool.py as plain threading code: a queue.Queue worker
pool with task_done/join, and task_done called too early.

Results go to a list (``append``: one step, as the step program's tuple
read-and-replace is one step).
"""

import queue
import threading

from checker import scenario


def worker(jobs, results, early):
    while True:
        n = jobs.get()
        if early:
            jobs.task_done()
        results.append(n * n)
        if not early:
            jobs.task_done()


def pool(workers, count, early):
    jobs = queue.Queue()
    results = []
    for i in range(workers):
        threading.Thread(name=f"w{i}", target=worker, args=(jobs, results, early), daemon=True).start()
    for n in range(count):
        jobs.put_nowait(n)
    jobs.join()
    squares = tuple(results)          # read once: the step program's outcome is the state at this point
    print(f"results(squares={squares!r})")
    done = sorted(squares)
    assert done == [n * n for n in range(count)], f"join() returned with results {done}"


@scenario(expect="safe")
def task_done_after_work(workers=2, count=2):
    pool(workers, count, early=False)


@scenario(expect="assertion")
def task_done_too_early(workers=2, count=2):
    pool(workers, count, early=True)
