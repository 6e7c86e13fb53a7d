"""models/readers_writers.py as plain threading code: readers-preference
readers-writers, the reader count under a mutex or not.

The step program's ``state.reading += 1`` (and the writer's
``state.writing += 1``) is one step, here a read and a write.  As in the step
program the main thread does not join, so nothing prints the final state;
the invariant watches it.
"""

import threading

from checker import invariant, scenario


class State:
    def __init__(self):
        self.readers = 0
        self.reading = 0
        self.writing = 0


def reader(state, room, mutex, locked):
    if locked:
        mutex.acquire()
    n = state.readers
    state.readers = n + 1
    if n == 0:
        room.acquire()
    if locked:
        mutex.release()
    state.reading += 1
    state.reading -= 1
    if locked:
        mutex.acquire()
    n = state.readers
    state.readers = n - 1
    if n == 1:
        room.release()
    if locked:
        mutex.release()


def writer(state, room):
    with room:
        state.writing += 1
        state.writing -= 1


def run(readers, locked):
    state = State()
    room = threading.Lock()
    mutex = threading.Lock()
    invariant(lambda: state.writing == 0 or (state.writing == 1 and state.reading == 0),
              "a writer is alone in the room")
    threads = [threading.Thread(name=f"r{i}", target=reader, args=(state, room, mutex, locked))
               for i in range(readers)]
    threads.append(threading.Thread(name="w", target=writer, args=(state, room)))
    for t in threads:
        t.start()


@scenario(expect="safe")
def counter_locked(readers=2):
    run(readers, locked=True)


@scenario(expect="violation")
def counter_unlocked(readers=2):
    run(readers, locked=False)
