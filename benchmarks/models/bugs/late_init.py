"""late_init(work, workers, jobs): a use-before-initialisation ordering bug
(the "order violation" class of Lu, Park, Seo, Zhou, "Learning from
Mistakes", ASPLOS 2008; the depth-1 example of the PCT paper, Burckhardt et
al., ASPLOS 2010), in a server that is busy with other work.

The main thread starts a ``loader`` that opens and then publishes the
configuration, a ``client`` that does ``work`` steps of its own start-up and
then uses the configuration without waiting for it, and ``workers`` that
each serve ``jobs`` requests, counting them under a lock.  The client is
wrong whenever it finishes its start-up before the loader publishes.

Bug depth 1 (the client's use before the loader's publish: one ordering
constraint, met by the client's priority above the loader's).  The
client's use is its step ``work + 1``, the publish the loader's step 2, so a
uniformly random scheduler (which picks either of the two with the same
odds whoever else is enabled) finds the bug with probability
``(work + 3) / 2 ** (work + 2)`` per run: 1 in about 1,100 for ``work=12``.  The workers' locked increments all conflict, so the
traces grow with ``workers`` and ``jobs`` as multinomials.

    python -m checker benchmarks/models/bugs/late_init.py --strategy pct --depth 1 --runs 100 --seed 1
"""

from checker import Lock, Shared, Thread, scenario


def loader(config):
    config.source = "settings.toml"  # open
    yield
    config.ready = True  # publish


def client(config, work):
    for _ in range(work):
        yield  # start-up steps touching only the client's own state
    assert config.ready, "the client used the configuration before the loader published it"


def serve(stats, lock, jobs):
    for _ in range(jobs):
        yield lock.acquire()
        served = stats.served
        yield
        stats.served = served + 1
        lock.release()
        yield


@scenario(expect="violation")
def late_init(work=12, workers=4, jobs=3):
    """A loader, a client that does not wait for it, and busy workers."""
    config = Shared(_name="config", source=None, ready=False)
    stats = Shared(_name="stats", served=0)
    lock = Lock()
    threads = [Thread(name="loader", target=loader, args=(config,))]
    threads += [Thread(name=f"worker{i}", target=serve, args=(stats, lock, jobs)) for i in range(workers)]
    threads.append(Thread(name="client", target=client, args=(config, work)))
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
