"""Cigarette smokers (The Little Book of Semaphores, 4.5): an agent puts two
of three ingredients (tobacco, paper, matches) on the table; the smoker who
has the third must take them, make a cigarette and tell the agent.

* ``naive``: each smoker waits for its two missing ingredients, one
  semaphore after the other.  When the agent puts out tobacco and paper,
  the matches smoker can take the tobacco and the tobacco smoker the paper:
  both wait for the rest forever, and so does the agent.
* ``pushers``: a pusher per ingredient wakes up on it and, under a mutex,
  records what is on the table; the pusher that sees the second ingredient
  signals the right smoker.  Proven for every choice the agent makes.

The scenario's main thread is the agent; its choice of ingredients is
explored with ``choose``.  Smokers and pushers are daemon threads (they
wait forever once the round is over).

    python -m checker models/cigarette_smokers.py
"""

from checker import Semaphore, Shared, Thread, choose, scenario

INGREDIENTS = ("tobacco", "paper", "matches")


def naive_smoker(has, table, smoked, done):
    first, second = (i for i in INGREDIENTS if i != has)
    yield table[first].acquire()
    yield table[second].acquire()
    done.who = has
    smoked.release()


def pusher(ingredient, table, on_table, mutex, ready):
    yield table[ingredient].acquire()
    yield mutex.acquire()
    others = [i for i in INGREDIENTS if i != ingredient and getattr(on_table, i)]
    if others:                                  # the second ingredient: wake the smoker who has the third
        setattr(on_table, others[0], False)
        (missing,) = (i for i in INGREDIENTS if i not in (ingredient, others[0]))
        ready[missing].release()
    else:
        setattr(on_table, ingredient, True)
    mutex.release()


def smoker(has, ready, smoked, done):
    yield ready[has].acquire()
    done.who = has
    smoked.release()


def run(with_pushers):
    table = {i: Semaphore(0, name=i) for i in INGREDIENTS}
    smoked = Semaphore(0, name="smoked")
    done = Shared(who=None)
    if with_pushers:
        on_table = Shared(tobacco=False, paper=False, matches=False)
        mutex = Semaphore(1, name="mutex")
        ready = {i: Semaphore(0, name=f"{i}_smoker") for i in INGREDIENTS}
        for i in INGREDIENTS:
            Thread(target=pusher, args=(i, table, on_table, mutex, ready), name=f"pusher_{i}", daemon=True).start()
            Thread(target=smoker, args=(i, ready, smoked, done), name=f"smoker_{i}", daemon=True).start()
    else:
        for i in INGREDIENTS:
            Thread(target=naive_smoker, args=(i, table, smoked, done), name=f"smoker_{i}", daemon=True).start()
    # the scenario's main thread is the agent
    pair = yield choose([("tobacco", "paper"), ("paper", "matches"), ("tobacco", "matches")])
    for ingredient in pair:
        table[ingredient].release()
    yield smoked.acquire()
    (third,) = (i for i in INGREDIENTS if i not in pair)
    assert done.who == third, f"{done.who} smoked, but the ingredients on the table were {pair[0]} and {pair[1]}"


@scenario(expect="deadlock")
def naive():
    yield from run(with_pushers=False)


@scenario(expect="safe")
def pushers():
    yield from run(with_pushers=True)
