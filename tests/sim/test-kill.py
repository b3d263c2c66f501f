"""Durability: writers hammer the simulator (data-plane secret versions
and ARM resource groups) while it is killed with SIGKILL at random
moments, several times, with a tiny compaction threshold so kills also
land during snapshot writes. After each restart every acknowledged write
must be there, byte for byte, and the state must load.

KILL_ROUNDS (default 6) sets the rounds; bench/sim-kill.sh runs it with
100 and more. Up to 10 rounds every acknowledged write is read back after
every restart; beyond, each restart reads back that round's writes and
500 older ones drawn at random, and the end reads back all of them.
Prints "# figures: ..." (rounds, acknowledged writes, lost, restart time)
for the bench."""
import os
import random
import threading
import time

import simlib

V = "kv-contoso-dev"
ROUNDS = int(os.environ.get("KILL_ROUNDS", "6"))
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


def verify(c, sim, acked, rnd, lost):
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
            lost.add(key)
            print("# lost: %s %s (%d)" % (kind, key, r.status))
    c.eq(missing, 0, "round %s: all %d acknowledged writes read back"
         % (rnd, len(acked)))


def run(c):
    rng = random.Random(20261130)
    sim = simlib.Sim(["--compact-bytes", "16384"])
    acked, lost, restarts = [], set(), []
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
            t0 = time.monotonic()
            sim.start()
            restarts.append(time.monotonic() - t0)
            sim.sub = sim.demo_sub("Contoso Development")
            if ROUNDS <= 10:
                verify(c, sim, acked, rnd, lost)
            else:
                older = acked[:before]
                verify(c, sim, acked[before:] +
                       rng.sample(older, min(500, len(older))), rnd, lost)
        if ROUNDS > 10:
            verify(c, sim, acked, "all", lost)
        restarts.sort()
        print("# figures: rounds=%d acked=%d lost=%d restart_ms_median=%.0f "
              "restart_ms_max=%.0f" % (ROUNDS, len(acked), len(lost),
                                       restarts[len(restarts) // 2] * 1000,
                                       restarts[-1] * 1000))
        r = sim.dp("GET", V, "/secrets/db-password/")
        c.eq(r.status, 200, "seeded data intact after the kills")
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


simlib.main(run)
