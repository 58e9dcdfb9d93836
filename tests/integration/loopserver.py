"""The threaded HTTP(S) server the loopback test servers share (ghserver.py, regfront.py,
tokenserver.py): one thread a connection, TLS when given a context, quiet about clients that
hang up, and a listen backlog that takes a burst of parallel connections."""

import socket
import ssl
import sys
from http.server import ThreadingHTTPServer


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a larger burst of parallel
    # connections, which then wait a second for their retransmission
    request_queue_size = 128

    def __init__(self, addr, handler, ctx=None):
        self.ctx = ctx
        super().__init__(addr, handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.ctx is not None:
            sock = self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (OSError, ssl.SSLError)):
            super().handle_error(request, client_address)
