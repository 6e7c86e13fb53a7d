"""A readers-writer lock built from ``assume``, ported from SV-COMP.

SV-COMP's ``pthread/read_write_lock-1.c`` (from Threader's distribution,
after Flanagan, Freund and Qadeer, "Thread-Modular Verification for
Shared-Memory Programs"), also in GenMC's test suite.  The lock is two
integers: ``w`` (a writer is in) and ``r`` (how many readers are in).
Taking it is a ``__VERIFIER_atomic_`` function -- one atomic block -- that
*assumes* the lock is free and takes it:

    void __VERIFIER_atomic_take_write_lock() { __VERIFIER_assume(w == 0 && r == 0); w = 1; }
    void __VERIFIER_atomic_take_read_lock()  { __VERIFIER_assume(w == 0); r = r + 1; }

so the verifier keeps only the executions in which the lock was free when a
thread took it.  Here an atomic block is one step, and ``assume`` discards
the execution when its condition is false (``docs/models.md``).  A writer
sets ``x = 3``; a reader copies ``x`` into ``y`` and asserts ``y == x``,
which holds because no writer can change ``x`` while a reader is in.

* ``read_write_lock``: the benchmark (2 writers, 2 readers): safe.  Of the
  1146 executions DPOR runs, 1026 are discarded and 120 complete, the
  number of complete executions GenMC reports for it.
* ``writer_ignores_readers``: the writer assumes only ``w == 0``, so it can
  write ``x`` while a reader is between its read of ``x`` and its assert.

    python -m checker models/read_write_lock_assume.py
"""

from checker import Shared, Thread, assume, scenario


def writer(lock, data, check_readers=True):
    # __VERIFIER_atomic_take_write_lock
    assume(lock.w == 0 and (not check_readers or lock.r == 0))
    lock.w = 1
    yield
    data.x = 3
    yield
    lock.w = 0                     # __VERIFIER_atomic_release_write_lock


def reader(lock, data):
    # __VERIFIER_atomic_take_read_lock
    assume(lock.w == 0)
    lock.r = lock.r + 1
    yield
    seen = data.x                  # l = x
    yield
    data.y = seen                  # y = l
    yield
    y = data.y                     # assert(y == x): y, then x
    yield
    assert y == data.x, f"read y={y} but x={data.x}"
    yield
    lock.r = lock.r - 1            # __VERIFIER_atomic_release_read_lock


def run(writers, readers, check_readers):
    lock = Shared("lock", w=0, r=0)
    data = Shared("data", x=0, y=0)
    threads = []
    for i in range(max(writers, readers)):  # created as the benchmark's main does: writer, reader, writer, reader
        if i < writers:
            threads.append(Thread(target=writer, args=(lock, data, check_readers), name=f"writer{i + 1}"))
        if i < readers:
            threads.append(Thread(target=reader, args=(lock, data), name=f"reader{i + 1}"))
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()


@scenario()
def read_write_lock(writers=2, readers=2):
    yield from run(writers, readers, check_readers=True)


@scenario(expect="assertion")
def writer_ignores_readers(writers=1, readers=1):
    yield from run(writers, readers, check_readers=False)
