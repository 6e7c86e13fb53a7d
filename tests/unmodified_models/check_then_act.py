"""models/check_then_act.py as plain threading code: check-then-act on a
dict, without and with a lock.

The keys computed go to a list (``append``: one step, as the step
program's ``stats.computed += 1`` is one step).  ``different_keys_counted``
counts with ``stats.computed += 1`` on a plain attribute, a read and a
write: different keys then lose an update, which the step program's
one-step increment cannot show.
"""

import threading

from checker import scenario


class Stats:
    def __init__(self):
        self.computed = 0


def lookup(cache, computed, key, lock):
    if lock is not None:
        lock.acquire()
    if key not in cache:
        computed.append(key)
        cache[key] = f"value of {key}"
    if lock is not None:
        lock.release()


def lookup_counted(cache, stats, key, lock):
    if key not in cache:
        stats.computed += 1
        cache[key] = f"value of {key}"


def run(keys, use_lock):
    cache = {}
    computed = []
    start(cache, keys, lookup, computed, use_lock)
    check(cache, keys, len(computed))


def start(cache, keys, target, stats, use_lock):
    lock = threading.Lock() if use_lock else None
    threads = [threading.Thread(name=f"t{i}", target=target, args=(cache, stats, key, lock))
               for i, key in enumerate(keys)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def check(cache, keys, computed):
    entries = ", ".join(f"[{k!r}]={v!r}" for k, v in sorted(cache.items()))
    print(f"cache({entries}); stats(computed={computed!r})")
    assert computed == len(set(keys)), f"computed {computed} times for {len(set(keys))} key(s)"


@scenario(expect="assertion")
def unlocked():
    run(["k", "k"], use_lock=False)


@scenario(expect="safe")
def locked():
    run(["k", "k"], use_lock=True)


@scenario(expect="safe")
def different_keys():
    run(["a", "b"], use_lock=False)


@scenario(expect="assertion")
def different_keys_counted():
    cache = {}
    stats = Stats()
    start(cache, ["a", "b"], lookup_counted, stats, use_lock=False)
    check(cache, ["a", "b"], stats.computed)
