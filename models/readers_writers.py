"""Readers-writers: many readers at once, or one writer alone.

The classic readers-preference solution: a ``Lock`` (``room``) that the
writer holds while writing, a counter of readers inside, and a ``Lock``
(``mutex``) protecting the counter.  The first reader in takes ``room``, the
last one out releases it.  An invariant checked after every step says that
a writer is never inside together with anybody else.

* ``counter_locked``: the reader count is updated under ``mutex``: safe.
* ``counter_unlocked``: the readers update the count without ``mutex``
  (read, yield, write): two readers can both see 0 readers and both try to
  take ``room``, or both see 1 on the way out and neither releases it --
  the checker finds a deadlock, or the invariant broken.

    python -m checker models/readers_writers.py
"""

from checker import Lock, Shared, Thread, invariant, scenario


def reader(state, room, mutex, locked):
    if locked:
        yield mutex.acquire()
    n = state.readers
    if not locked:
        yield                      # unprotected: another reader may run between read and write
    state.readers = n + 1
    if n == 0:
        yield room.acquire()
    if locked:
        mutex.release()
    state.reading += 1
    yield
    state.reading -= 1
    if locked:
        yield mutex.acquire()
    n = state.readers
    if not locked:
        yield
    state.readers = n - 1
    if n == 1:
        room.release()
    if locked:
        mutex.release()


def writer(state, room):
    yield room.acquire()
    state.writing += 1
    yield
    state.writing -= 1
    room.release()


def run(readers, locked):
    state = Shared(readers=0, reading=0, writing=0)
    room = Lock()
    mutex = Lock()
    invariant(lambda: state.writing == 0 or (state.writing == 1 and state.reading == 0),
              "a writer is alone in the room")
    threads = [Thread(name=f"r{i}", target=reader, args=(state, room, mutex, locked)) for i in range(readers)]
    threads.append(Thread(name="w", target=writer, args=(state, room)))
    for t in threads:
        t.start()


@scenario(expect="safe")
def counter_locked(readers=2):
    """The reader count is protected by a mutex: readers and the writer exclude each other."""
    run(readers, locked=True)


@scenario(expect="violation")
def counter_unlocked(readers=2):
    """The reader count is a racy read-modify-write: the room protocol breaks."""
    run(readers, locked=False)
