"""lastzero(N): the DPOR benchmark of Abdulla, Aronis, Jonsson, Sagonas,
"Optimal Dynamic Partial Order Reduction" (POPL 2014) and "Source Sets"
(JACM 2017).

An array of N+1 zeros.  Thread 0 scans it from the end for the last zero;
thread j (1..N) sets ``array[j] = array[j-1] + 1``.  Every shared access is
its own step.  No property: the benchmark measures how many interleavings a
strategy explores (the reader's reads race with most writers' writes).

    python -m checker benchmarks/models/lastzero.py --param n=4 --all-outcomes
"""

from checker import Shared, Thread, scenario


def last_zero(array, n):
    i = n
    while getattr(array, f"a{i}") != 0:
        i -= 1
        yield


def increment_next(array, j):
    value = getattr(array, f"a{j - 1}")
    yield
    setattr(array, f"a{j}", value + 1)


@scenario
def lastzero(n=3):
    """N writers shift values right while a reader looks for the last zero."""
    array = Shared(_name="array", **{f"a{i}": 0 for i in range(n + 1)})
    Thread(target=last_zero, args=(array, n), name="reader").start()
    for j in range(1, n + 1):
        Thread(target=increment_next, args=(array, j), name=f"w{j}").start()
