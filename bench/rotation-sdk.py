"""bench/rotation-sdk.py — one rotation of one secret with the Azure SDK
for Python (azure-keyvault-secrets), as a short script a person would
write; run by bench/rotation.sh once per repetition, one process each.

    rotation-sdk.py CONNECTION_JSON VAULT_URI NAME LENGTH

The sequence is kvdeck's plan: re-read the latest version
(get_secret), write a new version (set_secret: a generated value of
LENGTH letters and digits, the content type and tags carried over plus
rotated-at, expiry in 90 days), read it back by its version and compare
(constant time), then disable the old version
(update_secret_properties(enabled=False)). Sign-in: ClientSecretCredential
with the simulator's service principal (authority = its login endpoint,
no instance discovery), the way tests/conformance/python/scenario.py
does. The value never appears on a command line or in the output.

Prints one line of key=value timings (milliseconds since the process
started: imports done, first request sent, verified, old version
disabled) and the versions; exits 0 only when the value read back is the
value written and the old version is disabled; 77 when the SDK is missing.
"""
import time

T0 = time.monotonic()
import datetime  # noqa: E402
import hmac  # noqa: E402
import json  # noqa: E402
import secrets  # noqa: E402
import string  # noqa: E402
import sys  # noqa: E402

try:
    from azure.identity import ClientSecretCredential
    from azure.keyvault.secrets import SecretClient
except ImportError as exc:  # pragma: no cover
    print("rotation-sdk: Azure SDK for Python missing: %s" % exc,
          file=sys.stderr)
    sys.exit(77)
T_IMPORT = time.monotonic()


def ms(t):
    return "%.1f" % ((t - T0) * 1000.0)


def main(argv):
    conn_path, vault_uri, name, length = argv[1], argv[2], argv[3], int(argv[4])
    with open(conn_path) as f:
        c = json.load(f)
    cred = ClientSecretCredential(c["tenant"], c["client_id"],
                                  c["client_secret"], authority=c["login"],
                                  instance_discovery=False)
    client = SecretClient(vault_uri, cred)
    alphabet = string.ascii_letters + string.digits
    value = "".join(secrets.choice(alphabet) for _ in range(length))

    t_first = time.monotonic()
    # 1. re-read the latest version (what is being replaced)
    cur = client.get_secret(name)
    old = cur.properties.version
    tags = dict(cur.properties.tags or {})
    tags["rotated-at"] = datetime.datetime.now(
        datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    expires = datetime.datetime.now(datetime.timezone.utc) + \
        datetime.timedelta(days=90)
    # 2. write the new version
    new = client.set_secret(name, value,
                            content_type=cur.properties.content_type,
                            tags=tags, expires_on=expires)
    # 3. read it back and compare
    back = client.get_secret(name, new.properties.version)
    same = hmac.compare_digest(back.value.encode(), value.encode())
    t_verified = time.monotonic()
    if not same:
        print("rotation-sdk: the value read back differs", file=sys.stderr)
        return 1
    # 4. disable the old version
    upd = client.update_secret_properties(name, old, enabled=False)
    t_done = time.monotonic()
    if upd.enabled is not False:
        print("rotation-sdk: the old version is still enabled",
              file=sys.stderr)
        return 1
    print("import_ms=%s first_ms=%s verified_ms=%s done_ms=%s old=%s new=%s"
          % (ms(T_IMPORT), ms(t_first), ms(t_verified), ms(t_done), old,
             new.properties.version))
    client.close()
    cred.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
