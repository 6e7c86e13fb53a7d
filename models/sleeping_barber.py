"""The barbershop (The Little Book of Semaphores, 5.2): a waiting room of
``chairs`` chairs; a customer who finds every chair taken leaves (balks).
The shop must never hold more than ``chairs`` waiting customers plus the
one in the barber's chair.

* ``unguarded_count``: customers look at the head count and come in as two
  steps, without the mutex: two customers both see the last free chair and
  both come in.
* ``mutex``: the count is checked and changed under a mutex; customers and
  barber rendezvous on two semaphores.  Proven.

    python -m checker models/sleeping_barber.py
"""

from checker import Semaphore, Shared, Thread, scenario


def customer(shop, chairs, mutex, customer_ready, barber_ready, guarded):
    if guarded:
        yield mutex.acquire()
    full = shop.customers == chairs + 1
    yield
    if full:
        if guarded:
            mutex.release()
        print("balks")
        return
    shop.customers += 1
    assert shop.customers <= chairs + 1, f"{shop.customers} customers in a shop for {chairs + 1}"
    if guarded:
        mutex.release()
    customer_ready.release()
    yield barber_ready.acquire()      # get a haircut
    yield mutex.acquire()
    shop.customers -= 1
    mutex.release()


def barber(customer_ready, barber_ready):
    while True:
        yield customer_ready.acquire()
        barber_ready.release()        # cut hair


def run(customers, chairs, guarded):
    shop = Shared(customers=0)
    mutex = Semaphore(1, name="mutex")
    customer_ready, barber_ready = Semaphore(0, name="customer_ready"), Semaphore(0, name="barber_ready")
    Thread(target=barber, args=(customer_ready, barber_ready), name="barber", daemon=True).start()
    ts = [Thread(target=customer, args=(shop, chairs, mutex, customer_ready, barber_ready, guarded), name=f"c{i}")
          for i in range(customers)]
    for t in ts:
        t.start()
    for t in ts:
        yield t.join()


@scenario(expect="assertion")
def unguarded_count(customers=2, chairs=0):
    yield from run(customers, chairs, guarded=False)


@scenario(expect="safe")
def mutex(customers=2, chairs=0):
    yield from run(customers, chairs, guarded=True)
