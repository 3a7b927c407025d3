"""One racing OS process against a PostgreSQL schema; prints what it won as JSON.

    racer.py open URL SCHEMA NAME                           open (and so migrate) the store
    racer.py commit URL SCHEMA NAME RACERS INSTANCE LAST    bump INSTANCE's version up to LAST
    racer.py jobs URL SCHEMA NAME RACERS                    lease every runnable job it can
    racer.py timers URL SCHEMA NAME RACERS                  fire every due timer it can

Apart from ``open``, each racer first waits until all RACERS have opened the store (a count of
rows in a ``ready`` table), so that they really run at the same time.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from seamline.errors import InstanceChanged
from seamline.store.base import Commit, Event
from seamline.store.postgres import PostgresStore

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(hours=1)


def _meet(store: PostgresStore, name: str, racers: int) -> None:
    with store.transaction() as cur:
        cur.execute("INSERT INTO ready (name) VALUES (%s)", (name,))
    while True:
        with store.transaction(write=False) as cur:
            count = cur.execute("SELECT count(*) FROM ready").fetchone()[0]
        if count >= racers:
            return
        time.sleep(0.01)


def commit(store: PostgresStore, instance_id: str, last: int, name: str) -> list[int]:
    """Try to write every next version; the versions this process wrote."""
    won: list[int] = []
    while True:
        inst = store.get_instance(instance_id)
        if inst.version >= last:
            return won
        nxt = replace(inst, version=inst.version + 1, data={**inst.data, "by": name})
        event = Event(instance_id, "step", T0, name, None, {"version": nxt.version})
        try:
            store.commit(Commit(nxt, inst.version, f"v{nxt.version}".encode(), events=[event]))
        except InstanceChanged:
            continue
        won.append(nxt.version)


def jobs(store: PostgresStore, name: str) -> list[str]:
    """Lease every runnable job this process can get."""
    won: list[str] = []
    for job in store.runnable_jobs(T0, limit=1000):
        if store.lease_job(job.id, name, T0 + LEASE, T0) is not None:
            won.append(job.id)
    return won


def timers(store: PostgresStore, name: str) -> list[str]:
    """Fire each due timer under the instance's lease, as the worker does."""
    fired: list[str] = []
    for timer in store.due_timers(T0, limit=1000):
        if not store.acquire_lease(timer.instance_id, name, T0 + LEASE, T0):
            continue
        try:
            inst = store.get_instance(timer.instance_id)
            if inst.version != 1:
                continue  # fired already by someone who held the lease before
            event = Event(inst.id, "timer_fired", T0, name, timer.element_id, {"timer": timer.id})
            store.commit(Commit(replace(inst, version=2), 1, b"v2", events=[event], timers=[]))
            fired.append(timer.id)
        finally:
            store.release_lease(timer.instance_id, name)
    return fired


def main(argv: list[str]) -> None:
    """Run one racer and print its winnings."""
    mode, url, schema, name = argv[:4]
    store = PostgresStore(url, schema=schema)
    result: list[object] = []
    try:
        if mode != "open":
            _meet(store, name, int(argv[4]))
        if mode == "commit":
            result.extend(commit(store, argv[5], int(argv[6]), name))
        elif mode == "jobs":
            result.extend(jobs(store, name))
        elif mode == "timers":
            result.extend(timers(store, name))
        version = store.schema_version()
    finally:
        store.close()
    print(json.dumps({"name": name, "won": result, "schema_version": version}))


if __name__ == "__main__":
    main(sys.argv[1:])
