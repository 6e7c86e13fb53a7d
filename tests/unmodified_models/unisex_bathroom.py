"""models/unisex_bathroom.py as plain threading code: women and men never
in the bathroom together, by a check (racy) or by a lightswitch per sex.

Who is inside is a list per sex (``append`` and ``remove``: one step each,
as the step program's ``setattr(inside, sex, getattr(inside, sex) + 1)``
is one step; two women inside at once would lose an update of a counter).
The lightswitches' own counters are ints changed with ``+=`` under the
switch.
"""

import threading

from checker import scenario

OTHER = {"women": "men", "men": "women"}


class Inside:
    def __init__(self):
        self.women = []
        self.men = []


class Count:
    def __init__(self):
        self.women = 0
        self.men = 0


def check_then_enter(sex, inside):
    me = threading.current_thread().name
    if getattr(inside, OTHER[sex]):
        return                        # occupied: come back later
    getattr(inside, sex).append(me)   # the check and the entry are two steps
    assert not getattr(inside, OTHER[sex]), f"{sex} entered with {OTHER[sex]} inside"
    getattr(inside, sex).remove(me)


def with_lightswitch(sex, inside, switch, empty, count):
    me = threading.current_thread().name
    with switch:                      # lightswitch: the first one in takes the room for their sex
        setattr(count, sex, getattr(count, sex) + 1)
        if getattr(count, sex) == 1:
            empty.acquire()
    getattr(inside, sex).append(me)
    assert not getattr(inside, OTHER[sex]), f"{sex} entered with {OTHER[sex]} inside"
    getattr(inside, sex).remove(me)
    with switch:                      # the last one out gives it back
        setattr(count, sex, getattr(count, sex) - 1)
        if getattr(count, sex) == 0:
            empty.release()


def run(people, guarded):
    inside = Inside()
    count = Count()                   # the lightswitches' own counters
    empty = threading.Semaphore(1)
    women_switch, men_switch = threading.Semaphore(1), threading.Semaphore(1)
    switches = {"women": women_switch, "men": men_switch}
    ts = []
    for i, sex in enumerate(people):
        args = (sex, inside, switches[sex], empty, count) if guarded else (sex, inside)
        ts.append(threading.Thread(target=with_lightswitch if guarded else check_then_enter, args=args,
                                   name=f"{sex[0]}{i}"))
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"inside(men={len(inside.men)!r}, women={len(inside.women)!r}); "
          f"count(men={count.men!r}, women={count.women!r})")


@scenario(expect="assertion")
def check_then_enter_race():
    run(("women", "men"), guarded=False)


@scenario(expect="safe")
def lightswitch():
    run(("women", "women", "men"), guarded=True)
