#!/usr/bin/env python3
"""A plain-HTTP loopback server that answers every request with 404 JSON and logs it: the
stand-in for an http:// API base, to see what the tool sends there.

    python3 plainserver.py --port-file F --log L [--addr 127.0.0.1]

Each request is one JSON line in --log before the answer: ``{"method", "path", "headers"}``.
SIGTERM/SIGINT stop it.
"""

import argparse
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler

import loopserver


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--addr", default="127.0.0.1")
    args = ap.parse_args()
    log = open(args.log, "a")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            with lock:
                log.write(json.dumps({"method": self.command, "path": self.path,
                                      "headers": dict(self.headers.items())}) + "\n")
                log.flush()
            body = b'{"message":"Not Found"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = loopserver.LoopbackServer((args.addr, 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.replace(tmp, args.port_file)

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    srv.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
