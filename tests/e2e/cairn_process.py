"""Starts the real `cairn` binary on a free port with its own data directory, for process-level
tests. Python's standard library only: these tests need nothing from PyPI."""
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cairn:
    def __init__(self, binary, extra_env=None):
        self.binary = binary
        self.data_dir = tempfile.mkdtemp(prefix="cairn-e2e-")
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
        self.env.update({"CAIRN_DATA_DIR": self.data_dir, "CAIRN_LISTEN": f"127.0.0.1:{self.port}",
                         "CAIRN_LOG_LEVEL": "info"})
        self.env.update(extra_env or {})
        self.proc = None
        self.log_path = os.path.join(self.data_dir, "server.log")

    def run(self, *args, stdin=None):
        return subprocess.run([self.binary, *args], env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=120)

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("cairn serve exited early:\n" + open(self.log_path).read())
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("cairn serve did not answer /healthz")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            code = self.proc.wait(timeout=30)
        else:
            code = self.proc.returncode if self.proc else None
        if self.proc:
            self.log.close()
        return code

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, body=None, headers=None, opener=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url(path), data=data, method=method, headers=headers or {})
        if data is not None and "Content-Type" not in (headers or {}):
            req.add_header("Content-Type", "application/json")
        try:
            resp = (opener or urllib.request.build_opener()).open(req, timeout=30)
            status, payload, hdrs = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as e:
            status, payload, hdrs = e.code, e.read(), e.headers
        ctype = hdrs.get("Content-Type", "")
        parsed = json.loads(payload) if payload and "json" in ctype else payload
        return status, parsed, hdrs


class Browser:
    """A cookie-keeping client, as a browser signed in to Cairn would be."""

    def __init__(self, cairn):
        self.cairn = cairn
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def request(self, method, path, body=None, headers=None, raw=None):
        h = dict(headers or {})
        if self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        return self.cairn.request(method, path, body, h, self.opener, raw)

    def sign_in(self, email, password):
        status, body, _ = self.request("POST", "/api/v1/auth/signin", {"email": email, "password": password})
        if status == 200:
            self.csrf = body.get("csrf_token")
        return status, body


def without_rendered(value):
    """The editable content of an API response: rendered Markdown (*_html) is output only."""
    if isinstance(value, dict):
        return {k: without_rendered(v) for k, v in value.items() if not k.endswith("_html")}
    if isinstance(value, list):
        return [without_rendered(v) for v in value]
    return value
