"""Queue of dancers (The Little Book of Semaphores, 3.8): leaders and
followers wait in two queues; each leader must dance with exactly one
follower, so the dancers on the floor pair up one to one.

* ``plain_queue``: a leader signals the followers' queue and waits on the
  leaders' queue (and vice versa).  Nothing stops a second leader from
  dancing before the first leader's partner has: two leaders dance with one
  follower on the floor.
* ``exclusive``: a mutex held by the leader from the signal until the pair
  has danced, with a rendezvous at the end, lets only one pair on the floor
  at a time.  Proven.

    python -m checker models/exclusive_queue.py
"""

from checker import Semaphore, Shared, Thread, scenario


def dancer(role, floor, queues, mutex, done):
    other = "follower" if role == "leader" else "leader"
    if role == "leader" and mutex is not None:
        yield mutex.acquire()
    queues[other].release()
    yield queues[role].acquire()
    setattr(floor, role, getattr(floor, role) + 1)        # dance()
    yield
    assert abs(floor.leader - floor.follower) <= 1, f"{floor.leader} leaders and {floor.follower} followers danced"
    if mutex is not None:
        if role == "leader":
            yield done.acquire()      # wait for the partner to finish dancing
            mutex.release()
        else:
            done.release()


def run(leaders, followers, exclusive):
    floor = Shared(leader=0, follower=0)
    queues = {"leader": Semaphore(0, name="leader_queue"), "follower": Semaphore(0, name="follower_queue")}
    mutex = Semaphore(1, name="mutex") if exclusive else None
    done = Semaphore(0, name="rendezvous")
    roles = ["leader"] * leaders + ["follower"] * followers
    ts = [Thread(target=dancer, args=(r, floor, queues, mutex, done), name=f"{r[0]}{i}") for i, r in enumerate(roles)]
    for t in ts:
        t.start()
    for t in ts:
        yield t.join()


@scenario(expect="assertion")
def plain_queue(leaders=2, followers=2):
    yield from run(leaders, followers, exclusive=False)


@scenario(expect="safe")
def exclusive(leaders=2, followers=2):
    yield from run(leaders, followers, exclusive=True)
