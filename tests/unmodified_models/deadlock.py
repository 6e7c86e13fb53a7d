"""models/deadlock.py as plain threading code: two locks taken in opposite
orders deadlock; in the same order they cannot."""

import threading

from checker import scenario


def take_both(one, two):
    with one:
        with two:
            pass


def run(first, second, a_order, b_order):
    a = threading.Thread(name="a", target=take_both, args=a_order)
    b = threading.Thread(name="b", target=take_both, args=b_order)
    a.start()
    b.start()
    a.join()
    b.join()


@scenario(expect="deadlock")
def opposite_order():
    first = threading.Lock()
    second = threading.Lock()
    run(first, second, (first, second), (second, first))


@scenario(expect="safe")
def same_order():
    first = threading.Lock()
    second = threading.Lock()
    run(first, second, (first, second), (first, second))
