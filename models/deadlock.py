"""Deadlock: two threads take two locks in opposite order.

Thread ``a`` takes ``first`` then ``second``; thread ``b`` takes ``second``
then ``first``.  If each gets its first lock before the other's second
acquire, both wait forever.  Taking the locks in the same order in both
threads (``same_order``) removes the deadlock.

    python -m checker models/deadlock.py
"""

from checker import Lock, Thread, scenario


def take_both(one, two):
    yield one.acquire()
    yield two.acquire()
    two.release()
    one.release()


@scenario(expect="deadlock")
def opposite_order():
    """a takes first then second, b second then first: they can deadlock."""
    first = Lock()
    second = Lock()
    a = Thread(name="a", target=take_both, args=(first, second))
    b = Thread(name="b", target=take_both, args=(second, first))
    a.start()
    b.start()
    yield a.join()
    yield b.join()


@scenario(expect="safe")
def same_order():
    """Both threads take first, then second: no deadlock is possible."""
    first = Lock()
    second = Lock()
    a = Thread(name="a", target=take_both, args=(first, second))
    b = Thread(name="b", target=take_both, args=(first, second))
    a.start()
    b.start()
    yield a.join()
    yield b.join()
