# tests/conformance/python/taprun.py — the step runner the conformance
# scenarios share: each step a TAP line with its time, an assertion's or
# an Azure error's text as comments under a failed one. Imported from
# the scenario's own directory (python3 -B SCRIPT puts it first on
# sys.path).
import json
import time
import traceback

from azure.core.exceptions import HttpResponseError


class Steps:
    """A scenario over connection.json: its Resource Manager endpoint and
    token scope, and a count of steps run and failed."""

    def __init__(self, conn_path):
        with open(conn_path, encoding="utf-8") as f:
            self.conn = json.load(f)
        self.arm = self.conn["arm"].rstrip("/")
        self.arm_scope = self.conn["arm_audience"].rstrip("/") + "/.default"
        self.n = self.failed = 0
        self.t0 = time.monotonic()

    def step(self, desc, fn):
        t = time.monotonic()
        try:
            fn()
            ok, why = True, None
        except AssertionError as exc:
            ok, why = False, "assertion failed: %s" % exc
        except HttpResponseError as exc:
            ok, why = False, "HTTP %s: %s" % (exc.status_code, exc.message)
        except Exception:  # noqa: BLE001 - every failure is a step failure
            ok, why = False, traceback.format_exc(limit=6)
        self.n += 1
        ms = int((time.monotonic() - t) * 1000)
        print("%s %d - %s (%d ms)" % ("ok" if ok else "not ok", self.n, desc,
                                      ms), flush=True)
        if not ok:
            self.failed += 1
            for line in str(why).rstrip().splitlines():
                print("#   " + line)

    @staticmethod
    def check(cond, what):
        if not cond:
            raise AssertionError(what)
