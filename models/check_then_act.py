"""Check-then-act on a shared dict: "if the key is missing, compute and
store it" is not atomic.

Two threads look up the same key in a cache (a ``SharedDict``, whose reads
and writes are recorded per key).  Each computes the value when the key is
missing and counts the computation.

* ``unlocked``: both threads can see the key missing before either stores
  it, so the value is computed twice (and the second store overwrites the
  first).
* ``locked``: the check and the act happen under one ``Lock``: the value is
  computed exactly once in every interleaving.
* ``different_keys``: two threads filling *different* keys never conflict:
  the accesses are recorded per key, so the checker sees one outcome.

    python -m checker models/check_then_act.py
"""

from checker import Lock, Shared, SharedDict, Thread, scenario


def lookup(cache, stats, key, lock):
    if lock is not None:
        yield lock.acquire()
    if key not in cache:
        yield                         # another thread may run between the check and the act
        stats.computed += 1
        cache[key] = f"value of {key}"
    if lock is not None:
        lock.release()
    yield


def run(keys, use_lock):
    cache = SharedDict()
    stats = Shared(computed=0)
    lock = Lock() if use_lock else None
    threads = [Thread(name=f"t{i}", target=lookup, args=(cache, stats, key, lock)) for i, key in enumerate(keys)]
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
    assert stats.computed == len(set(keys)), f"computed {stats.computed} times for {len(set(keys))} key(s)"


@scenario(expect="assertion")
def unlocked():
    """Both threads can find the key missing and compute it."""
    yield from run(["k", "k"], use_lock=False)


@scenario(expect="safe")
def locked():
    """Check and act under one lock: computed exactly once."""
    yield from run(["k", "k"], use_lock=True)


@scenario(expect="safe")
def different_keys():
    """Different keys do not conflict."""
    yield from run(["a", "b"], use_lock=False)
