"""indexer(N): the hash-table benchmark of Flanagan and Godefroid, "Dynamic
Partial-Order Reduction for Model Checking Software" (POPL 2005, Fig. 5),
used again by Abdulla et al. (POPL 2014 / JACM 2017).

N threads each insert 4 messages into a 128-slot table with compare-and-
swap, probing the next slot on a collision.  Message m of thread t is
``m * 11 + t``, hashed to ``(w * 7) % 128``.  Below 12 threads no two
messages collide, so every interleaving is equivalent (one trace); each
thread from the 12th on adds three colliding pairs, each pair two orders:
8, 64, 512, 4096 traces for N = 12..15 (from 12 threads on, each new thread
adds 3 colliding pairs of 2 orders each); we recall these as the counts in
those papers' tables but could not re-check the tables here.  A CAS (read, compare, write) is one atomic step.

    python -m checker benchmarks/models/indexer.py --param n=12
"""

from checker import Shared, Thread, scenario

SIZE = 128
MESSAGES = 4


def cas(table, h, w):
    slot = f"s{h}"
    if getattr(table, slot) == 0:
        setattr(table, slot, w)
        return True
    return False


def insert_messages(table, tid):
    for m in range(1, MESSAGES + 1):
        w = m * 11 + tid
        h = (w * 7) % SIZE
        while True:
            stored = cas(table, h, w)
            yield
            if stored:
                break
            h = (h + 1) % SIZE


@scenario
def indexer(n=2):
    """N threads insert into a shared hash table with CAS and linear probing."""
    table = Shared(_name="table", **{f"s{i}": 0 for i in range(SIZE)})
    for tid in range(n):
        Thread(target=insert_messages, args=(table, tid), name=f"t{tid}").start()
