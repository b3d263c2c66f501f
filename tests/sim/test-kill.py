"""Durability: writers hammer the simulator (data-plane secret versions
and ARM resource groups) while it is killed with SIGKILL at random
moments, several times, with a tiny compaction threshold so kills also
land during snapshot writes. After each restart every acknowledged write
must be there, byte for byte, and the state must load."""
import random
import threading
import time

import simlib

V = "kv-contoso-dev"
ROUNDS = 6
WRITERS = 6


def writer(sim, tid, rnd, acked, stop):
    i = 0
    while not stop.is_set():
        i += 1
        name = "k-r%d-t%d-%d" % (rnd, tid, i)
        value = "value-%d-%d-%d-%s" % (rnd, tid, i, "x" * (i % 50))
        try:
            if i % 5 == 0:
                rg = "rg-kill-%d-%d-%d" % (rnd, tid, i)
                r = sim.arm("PUT", "/subscriptions/%s/resourcegroups/%s"
                            % (sim.sub, rg), {"location": "westus",
                                              "tags": {"v": value}},
                            api="2022-09-01", timeout=5)
                if r.status in (200, 201):
                    acked.append(("rg", rg, value))
            else:
                r = sim.dp("PUT", V, "/secrets/" + name, {"value": value},
                           timeout=5)
                if r.status == 200:
                    acked.append(("secret", name + "/" +
                                  r.json()["id"].rsplit("/", 1)[1], value))
        except Exception:
            return


def verify(c, sim, acked, rnd):
    missing = 0
    for kind, key, value in acked:
        if kind == "secret":
            r = sim.dp("GET", V, "/secrets/" + key)
            ok = r.status == 200 and r.json()["value"] == value
        else:
            r = sim.arm("GET", "/subscriptions/%s/resourcegroups/%s"
                        % (sim.sub, key), api="2022-09-01")
            ok = r.status == 200 and r.json()["tags"]["v"] == value
        if not ok:
            missing += 1
            print("# lost: %s %s (%d)" % (kind, key, r.status))
    c.eq(missing, 0, "round %d: all %d acknowledged writes survived"
         % (rnd, len(acked)))


def run(c):
    rng = random.Random(20261130)
    sim = simlib.Sim(["--compact-bytes", "16384"])
    acked = []
    try:
        sim.sub = sim.demo_sub("Contoso Development")
        for rnd in range(ROUNDS):
            stop = threading.Event()
            before = len(acked)
            threads = [threading.Thread(target=writer,
                                        args=(sim, t, rnd, acked, stop))
                       for t in range(WRITERS)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.4, 1.5))
            sim.kill()
            stop.set()
            for t in threads:
                t.join()
            c.ok(len(acked) > before, "round %d: writes were acknowledged "
                 "before the kill (%d)" % (rnd, len(acked) - before))
            sim.start()
            sim.sub = sim.demo_sub("Contoso Development")
            verify(c, sim, acked, rnd)
        r = sim.dp("GET", V, "/secrets/db-password/")
        c.eq(r.status, 200, "seeded data intact after the kills")
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


simlib.main(run)
