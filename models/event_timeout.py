"""Event with and without a timeout: the tutorial's three runs.

Thread ``t`` waits on an Event; thread ``s`` sleeps, then sets it.

* ``wait_forever``: ``wait()`` without a timeout returns once ``s`` sets the
  event after ``sleep(1)``.
* ``wait_times_out``: ``wait(2)`` against ``sleep(3)``: the wait times out
  ("timeout finished") and, once ``t`` is joined, ``is_set()`` is False.
* ``clear_then_wait``: the event was set by an earlier run; after
  ``clear()``, ``wait(2)`` against ``sleep(1)`` returns True ("other thread
  set the event") and ``is_set()`` is True.

Sleeps and timeouts run on a virtual clock.  In the default *ideal* timing a
runnable thread always runs before time advances, which reproduces the
tutorial's printed outputs.  With ``--timing any-delay`` a thread may be
delayed arbitrarily: then even the ``sleep(1)`` run can time out, because
nothing forces ``s`` to run between second 1 and second 2, and likewise
the ``sleep(3)`` run can see the event set once ``t`` returns, because the
main thread may be delayed past second 3.  The checker shows that both
results rely on timing luck (each scenario declares what to expect in each
mode).

    python -m checker models/event_timeout.py --all-outcomes
    python -m checker models/event_timeout.py -k clear_then_wait --timing any-delay
"""

from checker import Event, Thread, current_thread, scenario, sleep


def waits_forever(e):                              # the tutorial's first f
    print(f"{current_thread().name} is waiting for event.")
    yield e.wait()
    print(f"{current_thread().name} finished waiting.")


def sets_after_sleep(e):                           # the tutorial's first g
    yield sleep(1)
    print(f"{current_thread().name} sets the event.")
    e.set()


def waits_two_seconds(e):                          # the tutorial's second f
    print(f"{current_thread().name} is waiting for event.")
    value = yield e.wait(2)
    if value:
        print("other thread set the event")
    else:
        print("timeout finished")


def sets_later(e, delay):                          # the tutorial's second g
    yield sleep(delay)
    e.set()
    yield
    print(f"{current_thread().name} set the event.")


@scenario
def wait_forever():
    """wait() without a timeout returns once the other thread sets the event."""
    e = Event()
    t = Thread(name="t", target=waits_forever, args=(e,))
    s = Thread(name="s", target=sets_after_sleep, args=(e,))
    t.start()
    s.start()


@scenario(expect={"ideal": "safe", "any-delay": "assertion"})
def wait_times_out(delay=3):
    """wait(2) against sleep(3): the wait times out and the event is not set yet."""
    e = Event()
    t = Thread(name="t", target=waits_two_seconds, args=(e,))
    s = Thread(name="s", target=sets_later, args=(e, delay))
    t.start()
    s.start()
    yield t.join()
    print(f"event value is {e.is_set()}")  # the tutorial calls the old alias e.isSet()
    assert not e.is_set(), "the event was set before the wait timed out"
    yield s.join()


@scenario(expect={"ideal": "safe", "any-delay": "assertion"})
def clear_then_wait(delay=1):
    """After clear(), wait(2) against sleep(1) sees the event set, in ideal timing."""
    e = Event()
    e.set()          # left set by the previous run in the tutorial
    e.clear()
    t = Thread(name="t", target=waits_two_seconds, args=(e,))
    s = Thread(name="s", target=sets_later, args=(e, delay))
    t.start()
    s.start()
    yield t.join()
    print(f"event value is {e.is_set()}")  # the tutorial calls the old alias e.isSet()
    assert e.is_set(), "t's wait(2) timed out before s set the event"
    yield s.join()
