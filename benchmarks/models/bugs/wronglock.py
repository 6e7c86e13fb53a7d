"""wronglock(others): a port of SCTBench's ``wronglock_bad`` (ESBMC
"concurrent software benchmarks"; Thomson, Donaldson, Betts, PPoPP 2014 /
TOPC 2016: one ``funcA`` thread, seven ``funcB``).

Thread ``a`` increments ``data.value`` under ``data_lock`` and checks that
its own increment is what it sees; the ``others`` threads increment the same
value under a *different* lock, ``this_lock``.  The locks exclude nothing
between ``a`` and the others, so an increment can land inside ``a``'s
critical section (``b`` threads also lose updates among themselves, which
the model does not check).

Bug depth 2 (``a``'s read before some other's write, that write before
``a``'s check).  The others' increments all conflict, so the traces grow
with ``others`` factorially.

    python -m checker benchmarks/models/bugs/wronglock.py --strategy pct --depth 2 --runs 1000 --seed 1
"""

from checker import Lock, Shared, Thread, scenario


def func_a(data, data_lock):
    yield data_lock.acquire()
    x = data.value
    yield
    data.value = data.value + 1
    yield
    assert data.value == x + 1, f"incremented {x} under data_lock and then saw {data.value}"
    data_lock.release()


def func_b(data, this_lock):
    yield this_lock.acquire()
    value = data.value
    yield
    data.value = value + 1
    this_lock.release()


@scenario(expect="violation")
def wronglock(others=7):
    """One thread under ``data_lock``, ``others`` under ``this_lock``."""
    data = Shared(_name="data", value=0)
    data_lock, this_lock = Lock(), Lock()
    threads = [Thread(name="a", target=func_a, args=(data, data_lock))]
    threads += [Thread(name=f"b{i}", target=func_b, args=(data, this_lock)) for i in range(others)]
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
