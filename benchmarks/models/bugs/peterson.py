"""peterson(rounds, workers, jobs): Peterson's lock with its two writes in
the wrong order -- ``turn`` before ``flag`` -- used as a try-lock by two
threads, while workers keep a server busy.

Correct Peterson (G. L. Peterson, "Myths about the mutual exclusion
problem", IPL 1981) raises the thread's own flag first and then gives the
turn away.  Swapped, the other thread can give the turn back, find our flag
still down and enter; we then raise our flag, see the turn is ours, and
enter too.  Each of the two threads tries ``rounds`` times to enter (a
try-lock: if it may not enter it gives up for that round), counts itself
in ``inside`` and asserts it is alone.

Bug depth 3: p0's ``turn`` write before p1's, p1's entry before p0 raises
its flag, p0's entry before p1 leaves -- two preemptions (p0 right after
writing ``turn``, p1 inside the critical section), so PCT needs two change
points.  The workers' locked increments conflict with one another, so the
traces grow with ``workers`` and ``jobs`` as multinomials.

    python -m checker benchmarks/models/bugs/peterson.py --strategy pct --depth 3 --runs 2000 --seed 1
"""

from checker import Lock, Shared, Thread, scenario


def contender(me, lock, rounds, work):
    other = 1 - me
    for _ in range(rounds):
        lock.turn = other  # BAD: must come after raising the flag
        yield
        setattr(lock, f"flag{me}", True)
        yield
        for _ in range(work):
            yield  # bookkeeping of the contender's own, between raising the flag and testing
        if not getattr(lock, f"flag{other}") or lock.turn == me:
            lock.inside += 1
            assert lock.inside == 1, f"p{me} entered while p{other} is inside"
            yield
            lock.inside -= 1
        setattr(lock, f"flag{me}", False)
        yield


def serve(stats, mutex, jobs):
    for _ in range(jobs):
        yield mutex.acquire()
        served = stats.served
        yield
        stats.served = served + 1
        mutex.release()
        yield


@scenario(expect="violation")
def peterson(rounds=2, work=4, workers=3, jobs=3):
    """Two contenders for a swapped-Peterson try-lock, and busy workers."""
    lock = Shared(_name="peterson", turn=0, flag0=False, flag1=False, inside=0)
    stats = Shared(_name="stats", served=0)
    mutex = Lock()
    threads = [Thread(name=f"p{me}", target=contender, args=(me, lock, rounds, work)) for me in (0, 1)]
    threads += [Thread(name=f"worker{i}", target=serve, args=(stats, mutex, jobs)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
