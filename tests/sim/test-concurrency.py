"""Many clients at once: 250 TLS connections held open together, each
then making requests (reads and writes to the same vault) in parallel;
every request must succeed and every write must be readable."""
import socket
import ssl
import threading

import simlib

N = 250


def run(c):
    sim = simlib.Sim()
    try:
        tok = sim.vault_token()
        host = "kv-contoso-dev.vault.localhost"
        conns = []
        for i in range(N):
            s = socket.create_connection(("127.0.0.1", sim.port), 30)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conns.append(sim.ctx.wrap_socket(s, server_hostname=host))
        c.eq(len(conns), N, "%d connections open at once" % N)
        results = [None] * N
        barrier = threading.Barrier(N)

        def one(i):
            t = conns[i]
            try:
                barrier.wait(30)
                body = b'{"value":"c%d"}' % i
                req = (b"PUT /secrets/conc-%d?api-version=7.4 HTTP/1.1\r\n"
                       b"Host: %s:%d\r\nAuthorization: Bearer %s\r\n"
                       b"Content-Type: application/json\r\nContent-Length: "
                       b"%d\r\n\r\n%s" % (i, host.encode(), sim.port,
                                          tok.encode(), len(body), body))
                t.sendall(req)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = t.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                results[i] = data.split(b" ")[1] if data else b"none"
            except Exception as e:
                results[i] = str(e).encode()

        threads = [threading.Thread(target=one, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for t in conns:
            t.close()
        bad = [r for r in results if r != b"200"]
        c.eq(len(bad), 0, "all %d parallel writes answered 200 (%r)"
             % (N, bad[:3]))
        items, _ = simlib.follow(sim, sim.vault_url(
            "kv-contoso-dev", "/secrets?api-version=7.4"), tok)
        got = len([x for x in items if "/secrets/conc-" in x["id"]])
        c.eq(got, N, "every parallel write is listed")
    finally:
        c.eq(sim.stop(check=False), 0, "clean exit")
        sim.cleanup()


simlib.main(run)
