"""The standard proxy variables route every request through an HTTP CONNECT proxy."""

import os
import subprocess
import sys
import time
import unittest

from swcase import CliCase

HERE = os.path.dirname(os.path.abspath(__file__))


class ProxyTest(CliCase):
    def start_proxy(self):
        port_file = os.path.join(self.tmp, "proxy.port")
        self.proxy_log = os.path.join(self.tmp, "proxy.log")
        p = subprocess.Popen([sys.executable, os.path.join(HERE, "connectproxy.py"),
                              "--port-file", port_file, "--log", self.proxy_log])
        self.addCleanup(lambda: (p.terminate(), p.wait()))
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            self.assertIsNone(p.poll(), "the proxy died")
            self.assertLess(time.monotonic(), deadline, "the proxy did not start")
            time.sleep(0.02)
        with open(port_file) as f:
            return "http://127.0.0.1:%s" % f.read().strip()

    def tunnels(self):
        with open(self.proxy_log) as f:
            return f.read().split()

    def test_https_proxy_carries_api_and_download(self):
        proxy = self.start_proxy()
        r = self.install("--version", "2.6.1", env={"HTTPS_PROXY": proxy})
        self.assertEqual(r.rc, 0, r)
        hosts = {t.rsplit(":", 1)[0] for t in self.tunnels()}
        self.assertEqual(hosts, {"127.0.0.1", "127.0.0.2"})

    def test_no_proxy_bypasses_it(self):
        proxy = self.start_proxy()
        r = self.install("--version", "2.6.1",
                         env={"https_proxy": proxy, "NO_PROXY": "127.0.0.1,127.0.0.2"})
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.tunnels() if os.path.exists(self.proxy_log) else [], [])


if __name__ == "__main__":
    unittest.main()
