"""Readers and writers.

* ``readers(n)``: the "readers" benchmark of Abdulla et al. (POPL 2014 /
  JACM 2017): one writer writes a shared variable, N readers read it.  Each
  read happens before or after the write: 2^N traces.
* ``readers_writers(readers, writers)``: the classic readers-writers lock
  built from two locks and a reader count (first reader locks out writers,
  last reader lets them in); an invariant-free check that a writer never
  overlaps a reader, asserted by the threads themselves.

    python -m checker benchmarks/models/readers_writers.py --param n=3
"""

from checker import Lock, Shared, Thread, scenario


def read_once(x, seen, k):
    setattr(seen, f"r{k}", x.value)
    yield


def write_once(x):
    x.value = 1
    yield


@scenario
def readers(n=2):
    """One writer, N readers, no synchronisation."""
    x = Shared(_name="x", value=0)
    seen = Shared(_name="seen", **{f"r{k}": None for k in range(n)})
    Thread(target=write_once, args=(x,), name="writer").start()
    for k in range(n):
        Thread(target=read_once, args=(x, seen, k), name=f"reader{k}").start()


def reader(state, mutex, room, k):
    yield mutex.acquire()
    state.readers += 1
    if state.readers == 1:
        yield room.acquire()  # first reader locks writers out
    mutex.release()
    yield
    assert not state.writing, f"reader{k} reads while a writer writes"
    setattr(state, f"seen{k}", state.data)
    yield mutex.acquire()
    state.readers -= 1
    if state.readers == 0:
        room.release()  # last reader lets writers in
    mutex.release()


def writer(state, room, k):
    yield room.acquire()
    state.writing = True
    yield
    state.data = state.data + 1
    state.writing = False
    room.release()


@scenario
def readers_writers(readers=2, writers=1):
    """Readers share the room, a writer has it alone."""
    state = Shared(_name="state", readers=0, writing=False, data=0, **{f"seen{k}": None for k in range(readers)})
    mutex, room = Lock(), Lock()
    for k in range(writers):
        Thread(target=writer, args=(state, room, k), name=f"writer{k}").start()
    for k in range(readers):
        Thread(target=reader, args=(state, mutex, room, k), name=f"reader{k}").start()
