#!/usr/bin/python3
# tests/conformance/python/graph.py — kvdeck-sim's Azure Resource Graph with
# azure-mgmt-resourcegraph as Debian packages it (python3-azure): the
# ResourceGraphClient pages a vault query through $skipToken (top 1, so
# one request per vault) and finds the vaults KeyVaultManagementClient
# lists; the objectArray rows and table format deserialize; a query
# outside the simulator's KQL subset raises HttpResponseError 400 with the
# service's error code; and with the simulator's quota at 3 queries per
# 2 s (set through POST /_sim/config) the SDK's retry policy waits out
# the 429 RateLimiting answers (Retry-After) and every query completes.
#
# Usage: graph.py CONNECTION_JSON
# The caller sets REQUESTS_CA_BUNDLE and HTTPS_PROXY (see test-graph.sh).
# Prints TAP; exit 0 all passed, 1 otherwise, 77 SDK missing.
import json
import ssl
import sys
import time
import urllib.request

try:
    from azure.core.exceptions import HttpResponseError
    from taprun import Steps
    from azure.identity import ClientSecretCredential
    from azure.mgmt.keyvault import KeyVaultManagementClient
    from azure.mgmt.resourcegraph import ResourceGraphClient
    from azure.mgmt.resourcegraph.models import (QueryRequest,
                                                 QueryRequestOptions)
except ImportError as exc:
    print("SKIP: Azure SDK for Python not importable: %s" % exc)
    sys.exit(77)

TIMEOUTS = dict(connection_timeout=10, read_timeout=60)
VAULTS = ("Resources | where type =~ 'Microsoft.KeyVault/vaults' "
          "| project id, name, resourceGroup, subscriptionId")


class Graph(Steps):
    def __init__(self, conn_path):
        super().__init__(conn_path)
        self.subs = self.conn["subscriptions"]

    def s_clients(self):
        c = self.conn
        self.cred = ClientSecretCredential(
            c["tenant"], c["client_id"], c["client_secret"],
            authority=c["login"], instance_discovery=False, **TIMEOUTS)
        kw = dict(base_url=self.arm, credential_scopes=[self.arm_scope],
                  **TIMEOUTS)
        self.graph = ResourceGraphClient(self.cred, **kw)
        self.want = sorted(
            (v.id for s in self.subs for v in
             KeyVaultManagementClient(self.cred, s, **kw).vaults
             .list_by_subscription()), key=str.lower)
        self.check(len(self.want) >= 2, "ARM lists %d vaults" % len(self.want))

    def s_paging(self):
        got, token, pages, total = [], None, 0, None
        while pages < 50:
            r = self.graph.resources(QueryRequest(
                subscriptions=self.subs, query=VAULTS,
                options=QueryRequestOptions(top=1, skip_token=token)))
            pages += 1
            self.check(r.count == 1, "page %d count %r" % (pages, r.count))
            self.check(total in (None, r.total_records),
                       "totalRecords changed between pages")
            total = r.total_records
            self.check(r.result_truncated == "false",
                       "resultTruncated %r" % r.result_truncated)
            got += [row["id"] for row in r.data]
            token = r.skip_token
            if not token:
                break
        self.check(got == self.want,
                   "paged ids %r != ARM's %r" % (got, self.want))
        self.check(pages == len(self.want) and total == len(self.want),
                   "%d pages, totalRecords %r" % (pages, total))
        self.pages = pages

    def s_table(self):
        r = self.graph.resources(QueryRequest(
            subscriptions=self.subs,
            query=VAULTS + " | project name, location | order by name asc",
            options=QueryRequestOptions(result_format="table")))
        cols = [c["name"] for c in r.data["columns"]]
        self.check(cols == ["name", "location"], "columns %r" % cols)
        names = [row[0] for row in r.data["rows"]]
        self.check(names == sorted(names) and len(names) == len(self.want),
                   "rows %r" % names)

    def s_count(self):
        r = self.graph.resources(QueryRequest(
            query="resourcecontainers | where type =~ "
                  "'microsoft.resources/subscriptions' | count"))
        self.check(r.data == [{"Count": len(self.subs)}],
                   "tenant scope count %r" % r.data)

    def s_refused(self):
        try:
            self.graph.resources(QueryRequest(
                subscriptions=self.subs,
                query="Resources | summarize count() by location"))
        except HttpResponseError as exc:
            self.check(exc.status_code == 400, "status %r" % exc.status_code)
            self.check(exc.error is not None and exc.error.code == "BadRequest",
                       "error code %r" % (exc.error and exc.error.code))
            self.check("summarize" in str(exc), "message %s" % exc)
            return
        raise AssertionError("an unsupported query was answered")

    def control(self, path, body):
        ctx = ssl.create_default_context(cafile=self.conn["ca"])
        req = urllib.request.Request(
            "https://127.0.0.1:%d/_sim%s" % (self.conn["port"], path),
            data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
            self.check(r.status == 200, "POST /_sim%s: %d" % (path, r.status))

    def s_throttled(self):
        # A quota of 2 queries per 2 s (set through the control endpoint):
        # the SDK meets 429 RateLimiting and retries after Retry-After.
        self.control("/config", {"graph_quota": 2, "graph_window_ms": 2000})
        t = time.monotonic()
        for _ in range(4):
            r = self.graph.resources(QueryRequest(
                subscriptions=self.subs, query=VAULTS + " | count"))
            self.check(r.data == [{"Count": len(self.want)}],
                       "count %r" % r.data)
        self.check(time.monotonic() - t >= 0.5,
                   "four queries over a quota of 2 passed without waiting")
        self.control("/config", {"graph_quota": 15, "graph_window_ms": 5000})

    def run(self):
        st = self.step
        st("ClientSecretCredential + ResourceGraphClient; ARM's vaults",
           self.s_clients)
        if self.failed:
            self.finish()
        st("resources(): $top 1 pages every vault through $skipToken",
           self.s_paging)
        st("resultFormat table", self.s_table)
        st("tenant scope (no subscriptions): | count", self.s_count)
        st("KQL outside the subset: HttpResponseError 400 BadRequest",
           self.s_refused)
        st("429 RateLimiting: the SDK waits (Retry-After) and retries",
           self.s_throttled)
        self.finish()

    def finish(self):
        print("1..%d" % self.n)
        print("# python graph: %d passed, %d failed, total %.1f s" % (
            self.n - self.failed, self.failed, time.monotonic() - self.t0))
        sys.exit(0 if self.failed == 0 else 1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: graph.py CONNECTION_JSON", file=sys.stderr)
        sys.exit(2)
    Graph(sys.argv[1]).run()
