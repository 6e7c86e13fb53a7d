"""Search-insert-delete (The Little Book of Semaphores, 6.1): searchers may
run alongside each other and alongside one inserter; inserters exclude each
other; a deleter excludes everybody.

* ``deleter_takes_insert_mutex``: the deleter only takes the inserters'
  mutex, which keeps inserters out but not searchers: a search and a
  delete run at the same time.
* ``categorical``: searchers and inserters each come in through a
  lightswitch on ``no_searcher`` / ``no_inserter``, and a deleter holds both
  semaphores.  Proven.

    python -m checker models/search_insert_delete.py
"""

from checker import Semaphore, Shared, Thread, scenario


def lightswitch_in(counter, field, mutex, room):
    yield mutex.acquire()
    setattr(counter, field, getattr(counter, field) + 1)
    if getattr(counter, field) == 1:
        yield room.acquire()          # the first one in locks the category out
    mutex.release()


def lightswitch_out(counter, field, mutex, room):
    yield mutex.acquire()
    setattr(counter, field, getattr(counter, field) - 1)
    if getattr(counter, field) == 0:
        room.release()
    mutex.release()


def searcher(s):
    yield from lightswitch_in(s.counts, "searchers", s.search_mutex, s.no_searcher)
    s.active.search += 1
    assert s.active.delete == 0, "a search ran during a delete"
    yield
    s.active.search -= 1
    yield from lightswitch_out(s.counts, "searchers", s.search_mutex, s.no_searcher)


def inserter(s):
    yield from lightswitch_in(s.counts, "inserters", s.insert_switch_mutex, s.no_inserter)
    yield s.insert_mutex.acquire()
    s.active.insert += 1
    assert s.active.delete == 0 and s.active.insert == 1, "an insert ran during a delete or another insert"
    yield
    s.active.insert -= 1
    s.insert_mutex.release()
    yield from lightswitch_out(s.counts, "inserters", s.insert_switch_mutex, s.no_inserter)


def deleter(s, categorical):
    if categorical:
        yield s.no_searcher.acquire()
        yield s.no_inserter.acquire()
    else:
        yield s.insert_mutex.acquire()
    s.active.delete += 1
    assert s.active.search == 0 and s.active.insert == 0, "a delete ran alongside a search or an insert"
    yield
    s.active.delete -= 1
    if categorical:
        s.no_inserter.release()
        s.no_searcher.release()
    else:
        s.insert_mutex.release()


class Store:
    """The semaphores and counters every thread shares."""

    def __init__(self):
        self.counts = Shared(searchers=0, inserters=0)
        self.active = Shared(search=0, insert=0, delete=0)
        self.search_mutex = Semaphore(1, name="search_switch")
        self.insert_switch_mutex = Semaphore(1, name="insert_switch")
        self.insert_mutex = Semaphore(1, name="insert_mutex")
        self.no_searcher = Semaphore(1, name="no_searcher")
        self.no_inserter = Semaphore(1, name="no_inserter")


def run(categorical):
    s = Store()
    ts = [Thread(target=searcher, args=(s,), name="search"), Thread(target=inserter, args=(s,), name="insert"),
          Thread(target=deleter, args=(s, categorical), name="delete")]
    for t in ts:
        t.start()
    for t in ts:
        yield t.join()


@scenario(expect="assertion")
def deleter_takes_insert_mutex():
    yield from run(categorical=False)


@scenario(expect="safe")
def categorical():
    yield from run(categorical=True)
