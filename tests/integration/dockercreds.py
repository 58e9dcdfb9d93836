"""Docker client configuration for tests: ``$DOCKER_CONFIG/config.json`` and fake
``docker-credential-<name>`` helpers (re-exported by swregistry)."""

import base64
import json
import os
import sys


def docker_config(tmpdir, auths=None, creds_store=None, cred_helpers=None):
    """Write ``<tmpdir>/docker-config/config.json``; returns that dir (the DOCKER_CONFIG value).

    ``auths`` maps a server ("127.0.0.1:5000", "https://index.docker.io/v1/") to
    (user, password) -> ``{"auth": base64("user:password")}``, or to a dict written as is.
    ``creds_store`` -> ``credsStore``; ``cred_helpers`` ({server: helper}) -> ``credHelpers``.
    """
    d = os.path.join(tmpdir, "docker-config")
    os.makedirs(d, exist_ok=True)
    doc = {"auths": {}}
    for server, cred in (auths or {}).items():
        if isinstance(cred, (tuple, list)):
            cred = {"auth": base64.b64encode(("%s:%s" % tuple(cred)).encode()).decode()}
        doc["auths"][server] = cred
    if creds_store:
        doc["credsStore"] = creds_store
    if cred_helpers:
        doc["credHelpers"] = dict(cred_helpers)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(doc, f, indent=2)
    return d


_HELPER = r'''#!%(python)s
# docker-credential-%(name)s: a fake Docker credential helper written by dockercreds.py.
import json, sys
MAPPING = %(mapping)s
FAIL = %(fail)s
action = sys.argv[1] if len(sys.argv) > 1 else ""
data = sys.stdin.read()
with open(%(log)r, "a") as f:
    f.write(json.dumps({"action": action, "input": data}) + "\n")
if FAIL:
    sys.stdout.write(FAIL + "\n")
    sys.exit(1)
if action == "get":
    server = data.strip()
    bare = server.split("://", 1)[-1].split("/", 1)[0]
    cred = MAPPING.get(server) or MAPPING.get(bare)
    if not cred:
        sys.stdout.write("credentials not found in native keychain\n")
        sys.exit(1)
    json.dump({"ServerURL": server, "Username": cred[0], "Secret": cred[1]}, sys.stdout)
elif action == "list":
    json.dump({k: v[0] for k, v in MAPPING.items()}, sys.stdout)
elif action not in ("store", "erase"):
    sys.stdout.write("unknown action: %%s\n" %% action)
    sys.exit(1)
'''


def fake_credential_helper(tmpdir, name, mapping, fail=False):
    """Write an executable ``docker-credential-<name>`` into ``<tmpdir>/cred-bin``; return that dir.

    ``get`` reads a server URL on stdin and prints {"ServerURL", "Username", "Secret"} from
    ``mapping`` ({server: (user, secret)}; looked up as given, then as its bare host[:port]),
    or prints "credentials not found in native keychain" and exits 1. ``fail`` (True or a
    message) makes every call print that message and exit 1. Each call is appended to
    ``<dir>/docker-credential-<name>.log`` as {"action", "input"} (see ``helper_calls``).
    """
    d = os.path.join(tmpdir, "cred-bin")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "docker-credential-" + name)
    msg = fail if isinstance(fail, str) else ("error: keychain is locked (simulated)" if fail else "")
    with open(path, "w") as f:
        f.write(_HELPER % {"python": sys.executable, "name": name, "fail": repr(msg),
                           "mapping": repr({k: list(v) for k, v in mapping.items()}),
                           "log": path + ".log"})
    os.chmod(path, 0o755)
    return d


def helper_calls(bin_dir, name):
    """The calls a fake credential helper received: [{"action", "input"}, ...]."""
    try:
        with open(os.path.join(bin_dir, "docker-credential-%s.log" % name)) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []
