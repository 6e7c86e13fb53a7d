"""models/exclusive_queue.py as plain threading code: leaders and followers
pair up through two queue semaphores; only a mutex held until the pair has
danced keeps the pairs one to one.

Who has danced is a list per role (``append``: one step, as the step
program's ``setattr(floor, role, getattr(floor, role) + 1)`` is one step;
two leaders dancing at once would lose an update of a counter).  The
check reads the two lists one after the other where the step program
reads both in one step (finer).
"""

import threading

from checker import scenario


class Floor:
    def __init__(self):
        self.leader = []
        self.follower = []


def dancer(role, floor, queues, mutex, done):
    other = "follower" if role == "leader" else "leader"
    if role == "leader" and mutex is not None:
        mutex.acquire()
    queues[other].release()
    queues[role].acquire()
    getattr(floor, role).append(threading.current_thread().name)    # dance()
    leaders, followers = len(floor.leader), len(floor.follower)
    assert abs(leaders - followers) <= 1, f"{leaders} leaders and {followers} followers danced"
    if mutex is not None:
        if role == "leader":
            done.acquire()            # wait for the partner to finish dancing
            mutex.release()
        else:
            done.release()


def run(leaders, followers, exclusive):
    floor = Floor()
    leader_queue, follower_queue = threading.Semaphore(0), threading.Semaphore(0)
    queues = {"leader": leader_queue, "follower": follower_queue}
    mutex = threading.Semaphore(1) if exclusive else None
    rendezvous = threading.Semaphore(0)
    roles = ["leader"] * leaders + ["follower"] * followers
    ts = [threading.Thread(target=dancer, args=(r, floor, queues, mutex, rendezvous), name=f"{r[0]}{i}")
          for i, r in enumerate(roles)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"floor(follower={len(floor.follower)!r}, leader={len(floor.leader)!r})")


@scenario(expect="assertion")
def plain_queue(leaders=2, followers=2):
    run(leaders, followers, exclusive=False)


@scenario(expect="safe")
def exclusive(leaders=2, followers=2):
    run(leaders, followers, exclusive=True)
