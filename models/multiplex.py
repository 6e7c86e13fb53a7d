"""Multiplex (The Little Book of Semaphores, 3.5): at most ``n`` threads in
the critical section at once (a pool of ``n`` connections, say).

* ``check_then_enter``: a thread looks at how many are inside and enters
  when there is room.  Two threads can both see room for one: the invariant
  "at most n inside" breaks.
* ``semaphore``: a semaphore initialised to ``n``; entering acquires it,
  leaving releases it.  Proven.

    python -m checker models/multiplex.py
"""

from checker import Semaphore, Shared, Thread, invariant, scenario


def visit(room, n, multiplex):
    if multiplex is not None:
        yield multiplex.acquire()
    else:
        while room.inside >= n:       # wait for room ...
            yield
        yield                         # ... but the check and the entry are two steps
    room.inside += 1
    yield                             # critical section
    room.inside -= 1
    if multiplex is not None:
        multiplex.release()


def run(threads, n, guarded):
    room = Shared(inside=0)
    invariant(lambda: room.inside <= n, f"at most {n} inside")
    multiplex = Semaphore(n, name="multiplex") if guarded else None
    ts = [Thread(target=visit, args=(room, n, multiplex), name=f"t{i}") for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        yield t.join()


@scenario(expect="invariant")
def check_then_enter(threads=3, n=2):
    yield from run(threads, n, guarded=False)


@scenario(expect="safe")
def semaphore(threads=3, n=2):
    yield from run(threads, n, guarded=True)
