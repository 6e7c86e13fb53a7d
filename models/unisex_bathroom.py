"""Unisex bathroom (The Little Book of Semaphores, 6.2): women and men may
use the bathroom, but never at the same time.

* ``check_then_enter_race``: a person looks whether anybody of the other
  sex is inside (and goes away if so), then enters -- in two steps, so a
  woman and a man can both see an empty bathroom and go in together.
* ``lightswitch``: the first of each sex in takes the ``empty`` semaphore
  and the last one out gives it back (a lightswitch per sex, under its own
  mutex).  Proven.

    python -m checker models/unisex_bathroom.py
"""

from checker import Semaphore, Shared, Thread, scenario

OTHER = {"women": "men", "men": "women"}


def check_then_enter(sex, inside):
    if getattr(inside, OTHER[sex]) > 0:
        return                        # occupied: come back later
    yield                             # the check and the entry are two steps
    setattr(inside, sex, getattr(inside, sex) + 1)
    assert getattr(inside, OTHER[sex]) == 0, f"{sex} entered with {OTHER[sex]} inside"
    yield
    setattr(inside, sex, getattr(inside, sex) - 1)


def with_lightswitch(sex, inside, switch, empty, count):
    yield switch.acquire()            # lightswitch: the first one in takes the room for their sex
    setattr(count, sex, getattr(count, sex) + 1)
    if getattr(count, sex) == 1:
        yield empty.acquire()
    switch.release()
    setattr(inside, sex, getattr(inside, sex) + 1)
    assert getattr(inside, OTHER[sex]) == 0, f"{sex} entered with {OTHER[sex]} inside"
    yield
    setattr(inside, sex, getattr(inside, sex) - 1)
    yield switch.acquire()            # the last one out gives it back
    setattr(count, sex, getattr(count, sex) - 1)
    if getattr(count, sex) == 0:
        empty.release()
    switch.release()


def run(people, guarded):
    inside = Shared(women=0, men=0)
    count = Shared(women=0, men=0)    # the lightswitches' own counters
    empty = Semaphore(1, name="empty")
    switches = {"women": Semaphore(1, name="women_switch"), "men": Semaphore(1, name="men_switch")}
    ts = []
    for i, sex in enumerate(people):
        args = (sex, inside, switches[sex], empty, count) if guarded else (sex, inside)
        ts.append(Thread(target=with_lightswitch if guarded else check_then_enter, args=args, name=f"{sex[0]}{i}"))
    for t in ts:
        t.start()
    for t in ts:
        yield t.join()


@scenario(expect="assertion")
def check_then_enter_race():
    yield from run(("women", "men"), guarded=False)


@scenario(expect="safe")
def lightswitch():
    yield from run(("women", "women", "men"), guarded=True)
