"""Starts the real `cairn` binary on a free port with its own data directory, for process-level
tests. Python's standard library only: these tests need nothing from PyPI."""
import atexit
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
    """One `cairn` server: its data directory (and database) outlive the process, so a test can
    kill it (SIGKILL at a fault point), restart it on the same data and look at what survived."""

    def __init__(self, binary, extra_env=None, database_url=None):
        self.binary = binary
        self.data_dir = tempfile.mkdtemp(prefix="cairn-e2e-")
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
        self.env.update({"CAIRN_DATA_DIR": self.data_dir, "CAIRN_LISTEN": f"127.0.0.1:{self.port}",
                         "CAIRN_LOG_LEVEL": "info"})
        if database_url:
            self.env["CAIRN_DATABASE_URL"] = database_url
        self.env.update(extra_env or {})
        self.proc = None
        self.log = None
        self.log_path = os.path.join(self.data_dir, "server.log")
        # Issuer signing keys are sealed under a key-encryption key that must exist before start
        # (as `make run` makes one): 32 random bytes, readable by the owner only. It lives outside
        # the data directory, as a real deployment keeps it, so the data directory holds only
        # what cairn writes.
        fd, kek = tempfile.mkstemp(prefix="cairn-e2e-kek-")
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
        os.chmod(kek, 0o600)
        atexit.register(lambda: os.path.exists(kek) and os.unlink(kek))
        self.env.setdefault("CAIRN_KEK_FILE", kek)

    def run(self, *args, stdin=None):
        return subprocess.run([self.binary, *args], env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=120)

    def start(self, extra_env=None):
        """Starts `cairn serve` and waits for /healthz. extra_env applies to this run only (e.g.
        {"CAIRN_FAULT_POINT": "submit.before_commit"}); a later start() runs without it. The log
        is appended to, so the runs before a restart stay readable."""
        env = dict(self.env)
        env.update(extra_env or {})
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                self.log = None
                raise RuntimeError("cairn serve exited early:\n" + self.log_text())
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
        if self.log:
            self.log.close()
            self.log = None
        return code

    def wait_exit(self, timeout=30):
        """The exit code once the server has ended by itself: -9 when a fault point SIGKILLed it.
        None if it is still running after timeout."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        if self.log:
            self.log.close()
            self.log = None
        return code

    def restart(self, extra_env=None):
        """Stops the server if it still runs (SIGTERM), then starts it again on the same data."""
        self.stop()
        return self.start(extra_env)

    def log_text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def sqlite_path(self):
        """The database file of a SQLite run (the default URL), else None."""
        url = self.env.get("CAIRN_DATABASE_URL", "")
        if url.startswith("postgres"):
            return None
        if url:
            return url.split(":", 1)[1].lstrip("/") if url.startswith("sqlite:") else url
        return os.path.join(self.data_dir, "cairn.db")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, body=None, headers=None, opener=None, raw=None, timeout=30):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url(path), data=data, method=method, headers=headers or {})
        if data is not None and "Content-Type" not in (headers or {}):
            req.add_header("Content-Type", "application/json")
        try:
            resp = (opener or urllib.request.build_opener()).open(req, timeout=timeout)
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


def pg_server_url():
    """The PostgreSQL server to also run on: CAIRN_TEST_PG_URL, or None. `make test`
    (scripts/test.sh) always sets it."""
    return os.environ.get("CAIRN_TEST_PG_URL") or None


def fresh_pg_database(server_url, prefix="cairn_e2e"):
    """Creates an empty database on the cluster at server_url (its user may CREATE DATABASE, as
    scripts/pg-cluster.sh's superuser can) and returns its URL. Drop it with drop_pg_database."""
    name = f"{prefix}_{os.getpid()}_{int(time.time() * 1000) % 10**9}_{os.urandom(3).hex()}"
    subprocess.run(["psql", server_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", f'CREATE DATABASE "{name}"'],
                   check=True, capture_output=True, text=True, timeout=60)
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


def drop_pg_database(server_url, database_url):
    name = database_url.rpartition("/")[2]
    subprocess.run(["psql", server_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                   capture_output=True, text=True, timeout=60)


class Token:
    """An API-token client (Authorization: Bearer), which needs no CSRF token: the simplest way
    for a test to act as one person from many threads at once."""

    def __init__(self, cairn, token):
        self.cairn = cairn
        self.token = token

    def request(self, method, path, body=None, headers=None, raw=None, timeout=30):
        h = {"Authorization": f"Bearer {self.token}"}
        h.update(headers or {})
        return self.cairn.request(method, path, body, h, None, raw, timeout)


def sign_in_token(cairn, email, password, name="e2e"):
    """Signs in with a browser session and mints an API token for that person."""
    b = Browser(cairn)
    status, body = b.sign_in(email, password)
    if status != 200:
        raise AssertionError(f"sign-in of {email} failed: {status} {body}")
    status, token, _ = b.request("POST", "/api/v1/me/tokens", {"name": name})
    if status not in (200, 201):
        raise AssertionError(f"token for {email}: {status} {token}")
    return Token(cairn, token["secret"])


# ---- The evidence-and-review loop, driven through the public API as the demo people ----------

PASSWORD = "cairn-demo"


def expect(result, *statuses):
    """The body of (status, body, headers) when status is one of statuses, else a failure that
    shows what the server said."""
    status, body, _ = result
    if status not in statuses:
        raise AssertionError(f"expected {statuses}, got {status}: {body!r}"[:2000])
    return body


def tiny_pdf(text):
    """A valid one-page PDF (libmagic: application/pdf), different for each text."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def small_video(path, seconds=2, codec="libx264"):
    """A short H.264 (or HEVC with codec="libx265") MP4 with a tone, made by Debian's ffmpeg."""
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc=size=320x240:rate=15:duration={seconds}", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-c:v", codec, "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest", "-movflags", "+faststart", path],
                   check=True, timeout=120)
    with open(path, "rb") as f:
        return f.read()


def _b64(text):
    import base64
    return base64.b64encode(text.encode()).decode()


class Loop:
    """The loop's API steps, shared by test_loop, test_races and test_crash. People are demo
    accounts signed in once each with an API token, so any thread may act for them."""

    def __init__(self, cairn):
        self.cairn = cairn
        self._people = {}
        self._me = {}

    def as_(self, email):
        if email not in self._people:
            self._people[email] = sign_in_token(self.cairn, email, PASSWORD)
        return self._people[email]

    def me(self, email):
        if email not in self._me:
            self._me[email] = expect(self.as_(email).request("GET", "/api/v1/me"), 200)
        return self._me[email]

    def user_id(self, email):
        return self.me(email)["user"]["id"]

    def issuer_of(self, admin_email):
        return next(m["organization_id"] for m in self.me(admin_email)["memberships"]
                    if m["role"] == "issuer_admin")

    def micro_credential(self, title):
        page = expect(self.cairn.request("GET", "/api/v1/micro-credentials?page_size=50"), 200)
        mc_id = next(i["id"] for i in page["items"] if i["title"].startswith(title))
        return expect(self.cairn.request("GET", f"/api/v1/micro-credentials/{mc_id}"), 200)

    def add_reviewers(self, admin_email, issuer_id, reviewer_emails, mc_ids, load_cap=100):
        admin = self.as_(admin_email)
        for email in reviewer_emails:
            expect(admin.request("PUT", f"/api/v1/issuers/{issuer_id}/reviewers/{self.user_id(email)}",
                                 {"load_cap": load_cap, "micro_credential_ids": list(mc_ids),
                                  "active": True}), 200, 201)

    def enrol(self, email, mc_id):
        return expect(self.as_(email).request("POST", "/api/v1/enrolments",
                                              {"micro_credential_id": mc_id}), 200, 201)

    # -- tus uploads --
    def upload(self, email, enrolment_id, data, filename, filetype, requirement=None, cut_at=None):
        """Uploads data with tus and returns the fil_ id. With cut_at, the first PATCH declares the
        whole length but the connection drops after cut_at bytes; the upload then resumes from
        the offset HEAD reports. Returns (file_id, details) where details has what the resume
        saw."""
        person = self.as_(email)
        meta = [f"enrolment {_b64(enrolment_id)}", f"filename {_b64(filename)}",
                f"filetype {_b64(filetype)}"]
        if requirement is not None:
            meta.append(f"requirement {_b64(str(requirement))}")
        tus = {"Tus-Resumable": "1.0.0"}
        status, body, headers = person.request(
            "POST", "/api/v1/uploads", raw=b"",
            headers={**tus, "Upload-Length": str(len(data)), "Upload-Metadata": ",".join(meta),
                     "Content-Type": "application/offset+octet-stream"})
        if status != 201:
            raise AssertionError(f"tus creation: {status} {body!r}")
        location = headers["Location"]
        details = {"location": location}
        offset = 0
        if cut_at is not None:
            self._cut_patch(person.token, location, data, cut_at)
            status, _, headers = person.request("HEAD", location, headers=tus)
            if status != 200:
                raise AssertionError(f"tus HEAD after the cut: {status}")
            offset = int(headers["Upload-Offset"])
            details["resumed_from"] = offset
        status, body, headers = person.request(
            "PATCH", location, raw=data[offset:],
            headers={**tus, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
            timeout=120)
        if status != 204:
            raise AssertionError(f"tus PATCH: {status} {body!r}")
        if int(headers["Upload-Offset"]) != len(data):
            raise AssertionError(f"tus PATCH ended at {headers['Upload-Offset']} of {len(data)}")
        file_id = headers.get("Cairn-File-Id")
        if not file_id:
            raise AssertionError("the final PATCH did not name the file (Cairn-File-Id)")
        return file_id, details

    def _cut_patch(self, token, location, data, cut_at):
        """Sends a PATCH that promises all of data but stops after cut_at bytes and closes the
        connection, as a dropped network would."""
        s = socket.create_connection(("127.0.0.1", self.cairn.port), timeout=30)
        head = (f"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                f"Authorization: Bearer {token}\r\nUpload-Offset: 0\r\n"
                f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(data)}\r\n\r\n")
        s.sendall(head.encode() + data[:cut_at])
        time.sleep(0.3)  # let the server write what arrived before the cut
        s.shutdown(socket.SHUT_RDWR)
        s.close()
        # The server notices the cut when its read fails; HEAD must then report only bytes on disk.
        time.sleep(0.3)

    # -- the draft and submissions --
    @staticmethod
    def words(n, seed="evidence"):
        return " ".join(f"{seed}{i % 7}" for i in range(n))

    def content(self, mc, files_by_requirement, tag="v1"):
        """A draft that meets every requirement: answers within their word limits, and per
        artifact requirement its minimum number of the given files (or links where accepted)."""
        sub = mc["submission"]
        overview = [f"{tag} " + self.words(min(20, max(1, q.get("word_limit", 50) - 2)))
                    for q in sub["overview"]]
        reflection = [f"{tag} " + self.words(min(20, max(1, p.get("word_limit", 50) - 2)), "reflect")
                      for p in sub["reflection"]]
        artifacts = []
        for i, req in enumerate(sub["artifacts"]):
            need = req.get("min_count", 1)
            given = files_by_requirement.get(i, [])
            for k in range(need):
                if given:
                    artifacts.append({"requirement": i, "file_id": given[k % len(given)],
                                      "caption": f"{tag} artifact {i}.{k}", "consent_attested": True})
                else:
                    artifacts.append({"requirement": i, "url": f"https://example.org/{tag}/{i}/{k}",
                                      "caption": f"{tag} link {i}.{k}"})
        return {"overview": overview, "artifacts": artifacts, "reflection": reflection}

    def draft(self, email, enrolment_id):
        return expect(self.as_(email).request("GET", f"/api/v1/enrolments/{enrolment_id}/draft"), 200)

    def save_draft(self, email, enrolment_id, revision, content, headers=None):
        return self.as_(email).request("PUT", f"/api/v1/enrolments/{enrolment_id}/draft",
                                       {"revision": revision, **content}, headers=headers)

    def submit(self, email, enrolment_id, revision, key=None):
        headers = {"Idempotency-Key": f'"{key}"'} if key else None
        return self.as_(email).request("POST", f"/api/v1/enrolments/{enrolment_id}/submissions",
                                       {"revision": revision}, headers=headers)

    def submissions(self, email, enrolment_id):
        return expect(self.as_(email).request("GET", f"/api/v1/enrolments/{enrolment_id}/submissions"),
                      200)["items"]

    def submission(self, email, submission_id):
        return expect(self.as_(email).request("GET", f"/api/v1/submissions/{submission_id}"), 200)

    def enrolment(self, email, enrolment_id):
        return expect(self.as_(email).request("GET", f"/api/v1/enrolments/{enrolment_id}"), 200)

    # -- reviews --
    def reviews_of(self, code, reviewer_emails, states=("assigned", "in_progress")):
        """{email: review summary} of the given states for the submission with this code."""
        found = {}
        for email in reviewer_emails:
            for q in ("open", "completed"):
                page = expect(self.as_(email).request("GET", f"/api/v1/reviews?state={q}"), 200)
                for item in page["items"]:
                    if item.get("code") == code and item["state"] in states:
                        found[email] = item
        return found

    def wait_reviews(self, code, reviewer_emails, count, timeout=30, tie_break=None):
        """Waits until count open reviews exist for the code (the review.assign job runs on the
        job worker), and returns them."""
        deadline = time.time() + timeout
        while True:
            found = self.reviews_of(code, reviewer_emails)
            if tie_break is not None:
                found = {e: r for e, r in found.items() if r["tie_break"] == tie_break}
            if len(found) >= count:
                return found
            if time.time() > deadline:
                raise AssertionError(f"{len(found)} of {count} reviews assigned for {code} after "
                                     f"{timeout}s: {found}")
            time.sleep(0.1)

    def ratings(self, review_detail, earned, comment_prefix="criterion"):
        """One rating per criterion: the highest level (earned) or the lowest (not yet)."""
        out = []
        for c in review_detail["rubric"]["criteria"]:
            level = c["levels"][-1] if earned else c["levels"][0]
            out.append({"criterion_id": c["id"], "level_id": level["id"],
                        "comment": f"{comment_prefix} {c['id']}: {'strong' if earned else 'needs work'}"})
        return out

    def save_review(self, email, review_id, earned, comment):
        person = self.as_(email)
        detail = expect(person.request("GET", f"/api/v1/reviews/{review_id}"), 200)
        return expect(person.request("PUT", f"/api/v1/reviews/{review_id}",
                                     {"revision": detail["revision"],
                                      "ratings": self.ratings(detail, earned), "comment": comment}), 200)

    def complete(self, email, review_id, revision, earned):
        return self.as_(email).request("POST", f"/api/v1/reviews/{review_id}/complete",
                                       {"revision": revision,
                                        "recommendation": "earned" if earned else "not_yet"})

    def review(self, email, earned, review_id, comment="overall"):
        saved = self.save_review(email, review_id, earned, comment)
        return expect(self.complete(email, review_id, saved["revision"], earned), 200)


class SeededDemo:
    """Mixed into a TestCase: one server with the demo data for the class, on SQLite, or with
    `postgres = True` on a fresh PostgreSQL database (scripts/test.sh starts the cluster)."""
    postgres = False
    pg_prefix = "cairn_e2e"

    @classmethod
    def setUpClass(cls):
        cls.db_url = None
        if cls.postgres:
            cls.pg_server = pg_server_url()
            if not cls.pg_server:
                raise AssertionError(f"CAIRN_TEST_PG_URL is not set: {cls.__name__} must also run on "
                                     "PostgreSQL (scripts/test.sh starts a cluster and sets it)")
            cls.db_url = fresh_pg_database(cls.pg_server, cls.pg_prefix)
        cls.cairn = Cairn(os.environ.get("CAIRN_BINARY", "build/cairn"),
                          extra_env={"CAIRN_JOB_POLL_MS": "100", "CAIRN_FETCH_ALLOW_PRIVATE": "true"},
                          database_url=cls.db_url)
        cls.cairn.env["CAIRN_PUBLIC_URL"] = f"http://127.0.0.1:{cls.cairn.port}"
        seeded = cls.cairn.run("seed-demo")
        assert seeded.returncode == 0, seeded.stderr + seeded.stdout
        cls.cairn.start()
        cls.loop = Loop(cls.cairn)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        if cls.postgres:
            drop_pg_database(cls.pg_server, cls.db_url)
