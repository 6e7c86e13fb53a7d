"""models/dining_philosophers.py as plain threading code: every left fork
first deadlocks; the lower-numbered fork first cannot.

The step program counts a meal in one step; ``eaten.count += 1`` here is a
read and a write, both under the forks.
"""

import threading

from checker import scenario


class Eaten:
    def __init__(self):
        self.count = 0


def philosopher(first, second, meals, eaten):
    for _ in range(meals):
        with first:
            with second:
                eaten.count += 1


def dinner(n, meals, ordered):
    forks = [threading.Lock() for _ in range(n)]
    eaten = Eaten()
    threads = []
    for i in range(n):
        left, right = forks[i], forks[(i + 1) % n]
        if ordered and (i + 1) % n < i:
            left, right = right, left
        threads.append(threading.Thread(name=f"p{i}", target=philosopher, args=(left, right, meals, eaten)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"eaten(count={eaten.count!r})")
    assert eaten.count == n * meals, f"{eaten.count} meals eaten, expected {n * meals}"


@scenario(expect="deadlock")
def left_then_right(n=3, meals=1):
    dinner(n, meals, ordered=False)


@scenario(expect="safe")
def ordered_forks(n=3, meals=1):
    dinner(n, meals, ordered=True)
