"""models/sleeping_barber.py as plain threading code: a barbershop with
``chairs`` waiting chairs; without the mutex two customers take the last
place.

Coming in is a read and a write where the step program's
``shop.customers += 1`` is one step (finer: unguarded, two customers coming in at once can lose an
increment, and the shop's count ends at -1).  The barber is a daemon
thread left blocked on ``customer_ready`` when the main thread ends, as in
the step program.
"""

import threading

from checker import scenario


class Shop:
    def __init__(self):
        self.customers = 0


def customer(shop, chairs, mutex, customer_ready, barber_ready, guarded):
    if guarded:
        mutex.acquire()
    if shop.customers == chairs + 1:
        if guarded:
            mutex.release()
        print("balks")
        return
    customers = shop.customers + 1    # come in: the assert checks what this customer wrote,
    shop.customers = customers        # as the step program's assert in the same step as the write does
    assert customers <= chairs + 1, f"{customers} customers in a shop for {chairs + 1}"
    if guarded:
        mutex.release()
    customer_ready.release()
    barber_ready.acquire()            # get a haircut
    with mutex:
        shop.customers -= 1


def barber(customer_ready, barber_ready):
    while True:
        customer_ready.acquire()
        barber_ready.release()        # cut hair


def run(customers, chairs, guarded):
    shop = Shop()
    mutex = threading.Semaphore(1)
    customer_ready, barber_ready = threading.Semaphore(0), threading.Semaphore(0)
    threading.Thread(target=barber, args=(customer_ready, barber_ready), name="barber", daemon=True).start()
    ts = [threading.Thread(target=customer, args=(shop, chairs, mutex, customer_ready, barber_ready, guarded),
                           name=f"c{i}")
          for i in range(customers)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"shop(customers={shop.customers!r})")


@scenario(expect="assertion")
def unguarded_count(customers=2, chairs=0):
    run(customers, chairs, guarded=False)


@scenario(expect="safe")
def mutex(customers=2, chairs=0):
    run(customers, chairs, guarded=True)
