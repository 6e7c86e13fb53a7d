"""twostage(writers): a port of SCTBench's ``twostage_bad`` /
``twostage_100_bad`` (ESBMC "concurrent software benchmarks"; Thomson,
Donaldson, Betts, PPoPP 2014 / TOPC 2016), with 19 writers by default --
between the one of ``twostage_bad`` and the hundred of ``twostage_100_bad``.

Each writer publishes in two stages, each under its own lock: ``data1 = 1``
under ``lock1``, then ``data2 = data1 + 1`` under ``lock2``.  The reader
takes ``lock1``, gives up if ``data1`` is still 0, else remembers it, then
takes ``lock2`` and reads ``data2``, asserting ``data2 == data1 + 1``.  Each
stage is atomic but the pair is not: the reader can see stage one of some
writer and stage two of none.

Bug depth 2 (a writer's first stage before the reader's first read, the
reader's second read before every writer's second stage).  Every writer
takes both locks, so the lock orders multiply the traces.

    python -m checker benchmarks/models/bugs/twostage.py --strategy pct --depth 2 --runs 1000 --seed 1
"""

from checker import Lock, Shared, Thread, scenario


def writer(data, lock1, lock2):
    yield lock1.acquire()
    data.data1 = 1
    lock1.release()
    yield lock2.acquire()
    data.data2 = data.data1 + 1
    lock2.release()


def reader(data, lock1, lock2):
    yield lock1.acquire()
    if data.data1 == 0:
        lock1.release()
        return
    t1 = data.data1
    lock1.release()
    yield lock2.acquire()
    t2 = data.data2
    lock2.release()
    assert t2 == t1 + 1, f"stage two shows {t2} for stage one {t1}"


@scenario(expect="violation")
def twostage(writers=19):
    """``writers`` two-stage publishers, one reader."""
    data = Shared(_name="data", data1=0, data2=0)
    lock1, lock2 = Lock(), Lock()
    threads = [Thread(name=f"w{i}", target=writer, args=(data, lock1, lock2)) for i in range(writers)]
    threads.append(Thread(name="reader", target=reader, args=(data, lock1, lock2)))
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
