"""models/search_insert_delete.py as plain threading code: searchers and
inserters come in through lightswitches, a deleter excludes both (or, the
bug, only the inserters).

Each ``active`` counter has one writer (one thread per role), and the
lightswitch counters change under their mutex, so ``+=`` (a read and a
write where the step program's is one step) loses nothing; the checks
after ``+=`` read the other counters one by one (finer).  Threads get what
they share as arguments where the step program reads it from a ``Store``:
here each such read would be a step, and where a failing step ends the
execution every step of another thread is a place it can cut.
"""

import threading

from checker import scenario


class Counts:
    def __init__(self):
        self.searchers = 0
        self.inserters = 0


class Active:
    def __init__(self):
        self.search = 0
        self.insert = 0
        self.delete = 0


def lightswitch_in(counts, field, mutex, room):
    with mutex:
        setattr(counts, field, getattr(counts, field) + 1)
        if getattr(counts, field) == 1:
            room.acquire()            # the first one in locks the category out


def lightswitch_out(counts, field, mutex, room):
    with mutex:
        setattr(counts, field, getattr(counts, field) - 1)
        if getattr(counts, field) == 0:
            room.release()


def searcher(counts, active, search_switch, no_searcher):
    lightswitch_in(counts, "searchers", search_switch, no_searcher)
    active.search += 1
    assert active.delete == 0, "a search ran during a delete"
    active.search -= 1
    lightswitch_out(counts, "searchers", search_switch, no_searcher)


def inserter(counts, active, insert_switch, no_inserter, insert_mutex):
    lightswitch_in(counts, "inserters", insert_switch, no_inserter)
    with insert_mutex:
        active.insert += 1
        assert active.delete == 0 and active.insert == 1, "an insert ran during a delete or another insert"
        active.insert -= 1
    lightswitch_out(counts, "inserters", insert_switch, no_inserter)


def deleter(active, no_searcher, no_inserter, insert_mutex, categorical):
    if categorical:
        no_searcher.acquire()
        no_inserter.acquire()
    else:
        insert_mutex.acquire()
    active.delete += 1
    assert active.search == 0 and active.insert == 0, "a delete ran alongside a search or an insert"
    active.delete -= 1
    if categorical:
        no_inserter.release()
        no_searcher.release()
    else:
        insert_mutex.release()


def run(categorical):
    counts, active = Counts(), Active()
    search_switch, insert_switch = threading.Semaphore(1), threading.Semaphore(1)
    insert_mutex = threading.Semaphore(1)
    no_searcher, no_inserter = threading.Semaphore(1), threading.Semaphore(1)
    ts = [threading.Thread(target=searcher, args=(counts, active, search_switch, no_searcher), name="search"),
          threading.Thread(target=inserter, args=(counts, active, insert_switch, no_inserter, insert_mutex),
                           name="insert"),
          threading.Thread(target=deleter, args=(active, no_searcher, no_inserter, insert_mutex, categorical),
                           name="delete")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"counts(inserters={counts.inserters!r}, searchers={counts.searchers!r}); "
          f"active(delete={active.delete!r}, insert={active.insert!r}, search={active.search!r})")


@scenario(expect="assertion")
def deleter_takes_insert_mutex():
    run(categorical=False)


@scenario(expect="safe")
def categorical():
    run(categorical=True)
