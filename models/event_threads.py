"""The tutorial's Event cells as written: unmodified ``threading`` code.

The same three runs as ``models/event_timeout.py``, but in the tutorial's
own words: ``from threading import Thread, Event, currentThread``,
``time.sleep``, ``e.wait(2)``, ``e.isSet()``, ``print``.  Sleeps and
timeouts run on the checker's virtual clock, so nothing waits for real.
In the default *ideal* timing the outputs are the notebook's; with
``--timing any-delay`` both timeout runs show that their result relies on
timing luck, exactly as the step-program version does.

    python -m checker models/event_threads.py --all-outcomes
    python -m checker models/event_threads.py --timing any-delay
"""

# ruff: noqa: UP032, F841  (the tutorial's code, verbatim: str.format, and the unused `value`)
from threading import Thread, Event, currentThread

import time

from checker import scenario


def f(e):                                          # the tutorial's first f and g
    print('{} is waiting for event.'.format(currentThread().getName()))
    value = e.wait()
    print('{} finished waiting.'.format(currentThread().getName()))


def g(e):
    time.sleep(1)
    print('{} sets the event.'.format(currentThread().getName()))
    e.set()


def f2(e):                                         # the tutorial's second f and g
    print('{} is waiting for event.'.format(currentThread().getName()))
    value = e.wait(2)
    if value:
        print('other thread set the event')
    else:
        print('timeout finished')


def g2(e, t):
    time.sleep(t)
    e.set()
    print('{} set the event.'.format(currentThread().getName()))


@scenario
def wait_forever():
    """wait() without a timeout returns once the other thread sets the event."""
    e = Event()
    t = Thread(name='t', target=f, args=(e,))
    s = Thread(name='s', target=g, args=(e,))
    t.start()
    s.start()


@scenario(expect={"ideal": "safe", "any-delay": "assertion"})
def wait_times_out(delay=3):
    """The tutorial's "timeout check": wait(2) against sleep(3)."""
    e = Event()
    t = Thread(name='t', target=f2, args=(e,))
    s = Thread(name='s', target=g2, args=(e, delay))
    t.start()
    s.start()
    t.join()
    value = e.isSet()                              # read once: what is printed is what is checked
    print('event value is {}'.format(value))
    assert not value, "the event was set before the wait timed out"
    s.join()


@scenario(expect={"ideal": "safe", "any-delay": "assertion"})
def clear_then_wait(delay=1):
    """The tutorial's "regular check": after clear(), wait(2) against sleep(1)."""
    e = Event()
    e.set()                                        # left set by the previous cell in the tutorial
    e.clear()
    t = Thread(name='t', target=f2, args=(e,))
    s = Thread(name='s', target=g2, args=(e, delay))
    t.start()
    s.start()
    t.join()
    value = e.isSet()
    print('event value is {}'.format(value))
    assert value, "t's wait(2) timed out before s set the event"
    s.join()
