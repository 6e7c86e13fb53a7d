"""filesystem(N): the file-system benchmark of Flanagan and Godefroid,
"Dynamic Partial-Order Reduction for Model Checking Software" (POPL 2005,
Fig. 7), used again by Abdulla et al. (POPL 2014 / JACM 2017).

32 inodes and 26 disk blocks, each with a lock.  Thread t locks inode
``t % 32``; if it has no block yet it searches from block ``(2 i) % 26`` for
a free one, locking each block while it looks.  Threads 0..12 use distinct
blocks; from thread 13 on, thread 13+k starts at the block of thread k, so
the two race for it (and the loser moves on to the next, free, block).

Our locks are the checker's ``Lock``: a critical section's order against
another on the same lock is what distinguishes traces, so each colliding
pair gives two traces (2, 4, 8, ... for N = 14, 15, 16).  The published
counts (Concuerror, POPL 2014) model locks as Erlang processes exchanging
messages, which orders more events, so they are not comparable.

    python -m checker benchmarks/models/filesystem.py --param n=14
"""

from checker import Lock, Shared, Thread, scenario

NUMBLOCKS = 26
NUMINODE = 32


def allocate(tid, locki, inode, lockb, busy):
    i = tid % NUMINODE
    yield locki[i].acquire()
    if getattr(inode, f"i{i}") == 0:
        b = (i * 2) % NUMBLOCKS
        while True:
            yield lockb[b].acquire()
            if not getattr(busy, f"b{b}"):
                setattr(busy, f"b{b}", True)
                setattr(inode, f"i{i}", b + 1)
                lockb[b].release()
                break
            lockb[b].release()
            b = (b + 1) % NUMBLOCKS
    locki[i].release()


@scenario
def filesystem(n=14):
    """N threads each give their inode a free disk block."""
    locki = [Lock() for _ in range(NUMINODE)]
    lockb = [Lock() for _ in range(NUMBLOCKS)]
    inode = Shared(_name="inode", **{f"i{i}": 0 for i in range(NUMINODE)})
    busy = Shared(_name="busy", **{f"b{b}": False for b in range(NUMBLOCKS)})
    for tid in range(n):
        Thread(target=allocate, args=(tid, locki, inode, lockb, busy), name=f"t{tid}").start()
