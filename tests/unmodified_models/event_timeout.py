"""models/event_timeout.py as plain threading code (the tutorial's Event
cells; models/event_threads.py is the same in the tutorial's own words).

The step program prints and calls ``e.is_set()`` inside a step; here
``print`` and each ``Event`` call is its own scheduling point (finer).
"""

import threading
import time

from checker import scenario


def waits_forever(e):                              # the tutorial's first f
    print(f"{threading.current_thread().name} is waiting for event.")
    e.wait()
    print(f"{threading.current_thread().name} finished waiting.")


def sets_after_sleep(e):                           # the tutorial's first g
    time.sleep(1)
    print(f"{threading.current_thread().name} sets the event.")
    e.set()


def waits_two_seconds(e):                          # the tutorial's second f
    print(f"{threading.current_thread().name} is waiting for event.")
    value = e.wait(2)
    if value:
        print("other thread set the event")
    else:
        print("timeout finished")


def sets_later(e, delay):                          # the tutorial's second g
    time.sleep(delay)
    e.set()
    print(f"{threading.current_thread().name} set the event.")


def waits_and_checks(e, delay, expect_set, message):
    t = threading.Thread(name="t", target=waits_two_seconds, args=(e,))
    s = threading.Thread(name="s", target=sets_later, args=(e, delay))
    t.start()
    s.start()
    t.join()
    value = e.is_set()
    print(f"event value is {value}")
    assert value == expect_set, message
    s.join()


@scenario
def wait_forever():
    e = threading.Event()
    t = threading.Thread(name="t", target=waits_forever, args=(e,))
    s = threading.Thread(name="s", target=sets_after_sleep, args=(e,))
    t.start()
    s.start()


@scenario(expect={"ideal": "safe", "any-delay": "assertion"})
def wait_times_out(delay=3):
    waits_and_checks(threading.Event(), delay, False, "the event was set before the wait timed out")


@scenario(expect={"ideal": "safe", "any-delay": "assertion"})
def clear_then_wait(delay=1):
    e = threading.Event()
    e.set()          # left set by the previous run in the tutorial
    e.clear()
    waits_and_checks(e, delay, True, "t's wait(2) timed out before s set the event")
