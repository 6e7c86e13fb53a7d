"""bluetooth(adders): a port of SCTBench's ``bluetooth_driver_bad``, the
Windows NT Bluetooth driver model of Qadeer and Wu ("KISS: Keep It Simple
and Sequential", PLDI 2004), with ``adders`` concurrent I/O requests
instead of the original one.

Each request (``PnpAdd``) checks ``stopping_flag``, then counts itself in
``pending_io``, does its work asserting the driver is not stopped, and
counts itself out; the last one out signals ``stopping_event``.  The stop
request sets ``stopping_flag``, drops the initial count and, once the event
is signalled, marks the driver stopped.  The flag check and the increment
are two steps: a request that passed the check can increment after the stop
thread saw the count reach zero, and then works on a stopped driver.

Bug depth 2 (a request's flag check before the stop thread sets the flag;
the stop thread's ``stopped = True`` before that request's assertion).  All
requests update ``pending_io``, so their orders multiply the traces.

    python -m checker benchmarks/models/bugs/bluetooth.py --strategy pct --depth 2 --runs 1000 --seed 1
"""

from checker import Shared, Thread, scenario


def io_increment(dev):
    if dev.stopping_flag:
        return -1
    yield
    dev.pending_io = dev.pending_io + 1  # atomic in the original (__ESBMC_atomic_begin/end)
    return 0


def io_decrement(dev):
    dev.pending_io = dev.pending_io - 1  # atomic with the read below in the original
    pending = dev.pending_io
    yield
    if pending == 0:
        dev.stopping_event = True


def pnp_add(dev):
    status = yield from io_increment(dev)
    yield
    if status == 0:
        assert not dev.stopped, "an I/O request works on a stopped driver"  # do work here
    yield
    yield from io_decrement(dev)


def pnp_stop(dev):
    dev.stopping_flag = True
    yield
    yield from io_decrement(dev)
    yield
    if dev.stopping_event:
        dev.stopped = True  # release allocated resources


@scenario(expect="violation")
def bluetooth(adders=4):
    """``adders`` I/O requests and one stop request on one device."""
    dev = Shared(_name="dev", pending_io=1, stopping_flag=False, stopping_event=False, stopped=False)
    threads = [Thread(name="stop", target=pnp_stop, args=(dev,))]
    threads += [Thread(name=f"add{i}", target=pnp_add, args=(dev,)) for i in range(adders)]
    for t in threads:
        t.start()
    for t in threads:
        yield t.join()
