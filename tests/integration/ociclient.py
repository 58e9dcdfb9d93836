"""A small OCI distribution client for tests (standard library only): requests that answer
the registry's 401 challenges (Basic, or Bearer through the token realm), blob and manifest
pushes, and reference pulls that follow blob redirects without forwarding Authorization.

Functions take a ``registry`` with ``url``, ``registry_url`` and ``ca`` (see
swregistry.Registry) and are re-exported by swregistry. ``auth``: (user, password), None
for anonymous, or DEFAULT (the registry's own ``username``/``password``, if any).
Only loopback addresses are ever contacted.
"""

import base64
import collections
import hashlib
import http.client
import ipaddress
import json
import re
import ssl
from urllib.parse import urlencode, urljoin, urlsplit

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MANIFEST_ACCEPT = ", ".join((OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST))
WASM_CONFIG = "application/vnd.wasm.config.v0+json"
WASM_LAYER = "application/wasm"
DEFAULT = object()  # auth=DEFAULT: the registry's own credentials (none in plain mode)

Reply = collections.namedtuple("Reply", "status headers body url")
Reply.__doc__ = "An HTTP answer: status, headers (http.client.HTTPMessage), body bytes, url."


class RegistryError(Exception):
    def __init__(self, what, reply):
        super().__init__("%s: HTTP %d %s" % (what, reply.status, reply.body[:300].decode(errors="replace")))
        self.reply = reply


def _check_loopback(host):
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError("refusing a non-loopback address: %s" % host)


def http_request(method, url, body=None, headers=None, ca=None, timeout=10):
    """One request, no redirects followed, any status returned as a ``Reply``."""
    u = urlsplit(url)
    _check_loopback(u.hostname)
    if u.scheme == "https":
        conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=timeout,
                                           context=ssl.create_default_context(cafile=ca))
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, (u.path or "/") + ("?" + u.query if u.query else ""), body=body,
                     headers=headers or {})
        resp = conn.getresponse()
        return Reply(resp.status, resp.headers, resp.read(), url)
    finally:
        conn.close()


def parse_challenge(value):
    """``Bearer realm="r",service="s",scope="x"`` -> ("bearer", {"realm": ..., ...})."""
    scheme, _, rest = value.strip().partition(" ")
    params = dict((k.lower(), v) for k, v in re.findall(r'(\w+)="([^"]*)"', rest))
    return scheme.lower(), params


class Client:
    """Requests to one registry, answering its 401 challenges (Basic, or Bearer via the realm).

    ``auth``: (user, password), None for anonymous, or DEFAULT (the registry's own).
    ``direct``: talk to the registry's own listener, bypassing a front proxy.
    ``token_fetches`` counts realm requests; the last Authorization is reused.
    """

    def __init__(self, registry, auth=DEFAULT, direct=False):
        self.registry = registry
        self.base = registry.registry_url if direct else registry.url
        if auth is DEFAULT:
            auth = (registry.username, registry.password) if registry.username else None
        self.auth, self.authorization, self.token_fetches = auth, None, 0

    def request(self, method, path_or_url, body=None, headers=None):
        url = urljoin(self.base, path_or_url)
        hdrs = dict(headers or {})
        if self.authorization:
            hdrs["Authorization"] = self.authorization
        r = http_request(method, url, body, hdrs, ca=self.registry.ca)
        if r.status == 401 and r.headers.get("WWW-Authenticate") and self._answer(r):
            hdrs["Authorization"] = self.authorization
            r = http_request(method, url, body, hdrs, ca=self.registry.ca)
        return r

    def _basic(self):
        return "Basic " + base64.b64encode(("%s:%s" % self.auth).encode()).decode()

    def _answer(self, reply):
        scheme, params = parse_challenge(reply.headers["WWW-Authenticate"])
        if scheme == "basic":
            if self.auth is None:
                return False
            self.authorization = self._basic()
            return True
        if scheme != "bearer":
            return False
        query = [("service", params.get("service", ""))]
        query += [("scope", s) for s in params.get("scope", "").split(" ") if s]
        hdrs = {"Authorization": self._basic()} if self.auth else {}
        self.token_fetches += 1
        t = http_request("GET", params["realm"] + "?" + urlencode(query), headers=hdrs, ca=self.registry.ca)
        if t.status != 200:
            raise RegistryError("token request", t)
        doc = json.loads(t.body)
        self.authorization = "Bearer " + (doc.get("token") or doc["access_token"])
        return True

    def get_following(self, path_or_url, headers=None, limit=5):
        """GET following redirects; Authorization is dropped once the origin changes.

        Returns (final Reply, [redirect Location, ...]).
        """
        r, hops = self.request("GET", path_or_url, headers=headers), []
        origin = urlsplit(self.base).netloc
        while r.status in (301, 302, 303, 307, 308) and len(hops) < limit:
            loc = urljoin(r.url, r.headers["Location"])
            hops.append(loc)
            if urlsplit(loc).netloc == origin:
                r = self.request("GET", loc, headers=headers)
            else:
                r = http_request("GET", loc, headers=headers, ca=self.registry.ca)
        return r, hops


def sha256_digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type, data, **extra):
    """``{"mediaType", "digest", "size"}`` of ``data`` (plus ``extra`` keys, e.g. annotations)."""
    d = {"mediaType": media_type, "digest": sha256_digest(data), "size": len(data)}
    d.update(extra)
    return d


def push_blob(registry, repository, data, *, auth=DEFAULT, client=None):
    """POST an upload, PUT the bytes with ``?digest=``; returns the digest (bypasses a front)."""
    c = client or Client(registry, auth, direct=True)
    r = c.request("POST", "/v2/%s/blobs/uploads/" % repository, b"", {"Content-Length": "0"})
    if r.status != 202:
        raise RegistryError("start upload", r)
    loc = urljoin(c.base, r.headers["Location"])
    digest = sha256_digest(data)
    r = c.request("PUT", loc + ("&" if "?" in loc else "?") + urlencode({"digest": digest}), data,
                  {"Content-Type": "application/octet-stream", "Content-Length": str(len(data))})
    if r.status != 201:
        raise RegistryError("finish upload", r)
    return digest


def push_raw_manifest(registry, repository, reference, manifest, *, media_type=None, auth=DEFAULT,
                      client=None):
    """PUT any manifest (dict or bytes) as ``media_type`` (default: its mediaType, else OCI
    manifest); returns the registry's Docker-Content-Digest. Referenced blobs/manifests must
    exist: distribution checks them. Raises RegistryError on refusal (``.reply`` has why).
    Like every push helper it bypasses a front proxy."""
    if isinstance(manifest, dict):
        media_type = media_type or manifest.get("mediaType")
        manifest = json.dumps(manifest, separators=(",", ":")).encode()
    c = client or Client(registry, auth, direct=True)
    r = c.request("PUT", "/v2/%s/manifests/%s" % (repository, reference), manifest,
                  {"Content-Type": media_type or OCI_MANIFEST, "Content-Length": str(len(manifest))})
    if r.status != 201:
        raise RegistryError("put manifest", r)
    return r.headers.get("Docker-Content-Digest")


def push_artifact(registry, repository, tag, wasm_bytes, *, config_media_type=WASM_CONFIG,
                  layer_media_type=WASM_LAYER, auth=DEFAULT, annotations=None):
    """Push a Wasm OCI artifact (config + one layer + OCI image manifest) under ``tag``.

    Returns {"manifest_digest", "layer_digest", "config_digest", "size" (of the layer),
    "manifest" (the exact bytes pushed)}.
    """
    c = Client(registry, auth, direct=True)
    layer = push_blob(registry, repository, wasm_bytes, client=c)
    config = json.dumps({"architecture": "wasm", "os": "wasip2", "layerDigests": [layer]},
                        separators=(",", ":")).encode()
    push_blob(registry, repository, config, client=c)
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": descriptor(config_media_type, config),
                "layers": [descriptor(layer_media_type, wasm_bytes)]}
    if annotations:
        manifest["annotations"] = dict(annotations)
    raw = json.dumps(manifest, separators=(",", ":")).encode()
    digest = push_raw_manifest(registry, repository, tag, raw, media_type=OCI_MANIFEST, client=c)
    if digest != sha256_digest(raw):
        raise AssertionError("registry digest %s != sha256 of the manifest %s" % (digest, sha256_digest(raw)))
    return {"manifest_digest": digest, "layer_digest": layer, "config_digest": sha256_digest(config),
            "size": len(wasm_bytes), "manifest": raw}


def pull_manifest(registry, repository, reference, *, auth=DEFAULT, accept=MANIFEST_ACCEPT):
    """GET a manifest by tag or digest (through a front proxy, if any); returns the Reply
    (raises RegistryError unless 200)."""
    r = Client(registry, auth).request("GET", "/v2/%s/manifests/%s" % (repository, reference),
                                       headers={"Accept": accept})
    if r.status != 200:
        raise RegistryError("get manifest", r)
    return r


def pull_blob(registry, repository, digest, *, auth=DEFAULT):
    """GET a blob following redirects (no Authorization to another origin); returns bytes."""
    r, _ = Client(registry, auth).get_following("/v2/%s/blobs/%s" % (repository, digest))
    if r.status != 200:
        raise RegistryError("get blob", r)
    return r.body
