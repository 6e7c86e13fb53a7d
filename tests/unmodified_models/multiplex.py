"""models/multiplex.py as plain threading code: at most n threads inside.

Who is inside is a list: ``append`` and ``remove`` are one builtin call
each, one step, as the step program's ``room.inside += 1`` is.  Written as
``room.inside += 1`` (a read and a write) the semaphore version is not
safe as plain code: two threads inside can lose an update of the count
(``semaphore_counted``).  The unguarded version's wait for room is a loop
that sleeps, where the step program spins on a bare ``yield``.
"""

import threading
import time

from checker import invariant, scenario


def visit(room, n, multiplex):
    me = threading.current_thread().name
    if multiplex is not None:
        multiplex.acquire()
    else:
        while len(room) >= n:         # wait for room: the check and the entry are two steps
            time.sleep(0.01)
    room.append(me)
    room.remove(me)                   # critical section between the two
    if multiplex is not None:
        multiplex.release()


class Room:
    def __init__(self):
        self.inside = 0


def visit_counted(room, multiplex):
    with multiplex:
        room.inside += 1
        room.inside -= 1


def run(threads, n, guarded):
    room = []
    invariant(lambda: len(room) <= n, f"at most {n} inside")
    multiplex = threading.Semaphore(n) if guarded else None
    ts = [threading.Thread(target=visit, args=(room, n, multiplex), name=f"t{i}") for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"room(inside={len(room)!r})")


@scenario(expect="invariant")
def check_then_enter(threads=3, n=2):
    run(threads, n, guarded=False)


@scenario(expect="safe")
def semaphore(threads=3, n=2):
    run(threads, n, guarded=True)


@scenario(expect="invariant")
def semaphore_counted(threads=3, n=2):
    room = Room()
    invariant(lambda: room.inside <= n, f"at most {n} inside")
    multiplex = threading.Semaphore(n)
    ts = [threading.Thread(target=visit_counted, args=(room, multiplex), name=f"t{i}") for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
