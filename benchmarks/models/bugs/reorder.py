"""reorder(setters): a port of SCTBench's ``reorder_N_bad`` (from the
ESBMC "concurrent software benchmarks"; Thomson, Donaldson, Betts,
"Concurrency Testing Using Controlled Schedulers: An Empirical Study",
PPoPP 2014 / TOPC 2016; ``reorder_10_bad`` has 9 setters, ``reorder_20_bad``
19, the default here).

Each setter thread writes ``a = 1`` and then ``b = -1``; one checker reads
``a`` and then ``b`` and asserts it saw a consistent pair ((0, 0) or
(1, -1)).  Nothing orders the checker's two reads against the setters'
writes, so it can see (1, 0) -- ``a`` after some setter's first write, ``b``
before every setter's second -- or (0, -1).

Bug depth 2 (two ordering constraints, e.g. setter's ``a`` before the
checker's read of ``a``, the checker's read of ``b`` before every ``b``).
The setters' writes all conflict with each other, so the number of
Mazurkiewicz traces grows factorially with ``setters``.

    python -m checker benchmarks/models/bugs/reorder.py --strategy pct --depth 2 --runs 1000 --seed 1
"""

from checker import Shared, Thread, scenario


def setter(cell):
    cell.a = 1
    yield
    cell.b = -1


def check(cell):
    a = cell.a
    yield
    b = cell.b
    assert (a, b) in ((0, 0), (1, -1)), f"read a={a}, b={b}: the writes were seen out of order"


@scenario(expect="violation")
def reorder(setters=19):
    """``setters`` threads write a then b; one checker reads a then b."""
    cell = Shared(_name="cell", a=0, b=0)
    threads = [Thread(name=f"set{i}", target=setter, args=(cell,)) for i in range(setters)]
    threads.append(Thread(name="check", target=check, args=(cell,)))
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
