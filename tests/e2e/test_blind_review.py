"""Blind review against the real binary and the seeded demo: an educator enrols, saves a draft,
uploads a file, submits; the issuer admin puts reviewers in the pool and assignment runs; then
everything a reviewer receives is collected (every response body and header of their API calls:
queue, review, file content with its Content-Disposition, stats, save and complete; their in-app
notifications; the emails the real SMTP test server received for them) and none of it may name the educator: not their name,
email or user id, nor their school's or district's id or name."""
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import (Cairn, Loop, drop_pg_database, expect, fresh_pg_database,  # noqa: E402
                           pg_server_url, tiny_pdf)

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
ISSUER_ADMIN = "maria.alvarez@tpc.example.org"
EDUCATOR = "priya.natarajan@riverbend.example.org"
REVIEWERS = ["grace.kim@tpc.example.org", "helen.okafor@lakeview.example.org"]
MICRO_CREDENTIAL = "Growth Mindset Feedback"


class BlindReview:
    """Mixed into one TestCase per database."""

    @classmethod
    def setUpClass(cls):
        cls.db_url = cls.database_url()
        # The real SMTP test server (aiosmtpd from Debian), one JSON file per message received.
        cls.mail_dir = tempfile.mkdtemp(prefix="cairn-blind-mail-")
        cls.sink = subprocess.Popen(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "..", "mail",
                                                                      "smtp_sink.py"), "--dir", cls.mail_dir],
                                    stdout=subprocess.PIPE, text=True)
        smtp_port = cls.sink.stdout.readline().strip()
        assert smtp_port.isdigit(), "the SMTP sink did not start"
        cls.cairn = Cairn(BINARY, database_url=cls.db_url, extra_env={
            "CAIRN_JOB_POLL_MS": "100", "CAIRN_SMTP_HOST": "127.0.0.1", "CAIRN_SMTP_PORT": smtp_port,
            "CAIRN_SMTP_STARTTLS": "none", "CAIRN_SMTP_FROM": "cairn@example.org"})
        cls.cairn.env["CAIRN_PUBLIC_URL"] = f"http://127.0.0.1:{cls.cairn.port}"
        seeded = cls.cairn.run("seed-demo")
        assert seeded.returncode == 0, seeded.stderr + seeded.stdout
        cls.cairn.start()
        cls.loop = Loop(cls.cairn)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        cls.sink.terminate()
        cls.sink.wait(timeout=30)
        cls.drop_database()

    @classmethod
    def drop_database(cls):
        pass

    def secrets(self):
        """What must never reach a reviewer: who the educator is and where they work."""
        loop = self.loop
        me = loop.me(EDUCATOR)
        out = {EDUCATOR, me["user"]["id"], me["user"]["display_name"]}
        out.update(me["user"]["display_name"].split())
        for m in me["memberships"]:
            org = expect(loop.as_(EDUCATOR).request("GET", f"/api/v1/organizations/{m['organization_id']}"), 200)
            out.update({org["id"], org["name"]})
            if org.get("parent_id"):
                district = expect(loop.as_(EDUCATOR).request("GET", f"/api/v1/organizations/{org['parent_id']}"), 200)
                out.update({district["id"], district["name"]})
        return {s for s in out if s and len(s) >= 4}

    def emails_to(self, address):
        """Everything of each message the SMTP server received for address: headers, bodies, raw."""
        found = []
        for path in sorted(glob.glob(os.path.join(self.mail_dir, "*.json"))):
            with open(path) as f:
                msg = json.load(f)
            if address in msg["envelope_to"]:
                found.append(json.dumps(msg["headers"]) + "\n" + msg["text"] + "\n" + msg["html"] +
                             "\n" + msg["raw"])
        return found

    def test_a_reviewer_never_learns_who_the_educator_is(self):
        loop = self.loop
        mc = loop.micro_credential(MICRO_CREDENTIAL)
        issuer_id = loop.issuer_of(ISSUER_ADMIN)
        loop.add_reviewers(ISSUER_ADMIN, issuer_id, REVIEWERS, [mc["id"]])

        # The educator's side: enrol, draft, a document upload (its metadata names nobody), submit.
        enr = loop.enrol(EDUCATOR, mc["id"])["id"]
        # Documents for every requirement that takes them (the filename names the educator: what
        # the reviewer gets must not).
        files = {}
        for i, req in enumerate(mc["submission"]["artifacts"]):
            if "document" in req.get("accepted_kinds", []):
                files[i] = [loop.upload(EDUCATOR, enr, tiny_pdf(f"exit tickets {i}.{k}"),
                                        f"priya-natarajan-{i}-{k}.pdf", "application/pdf",
                                        requirement=i)[0]
                            for k in range(req.get("min_count", 1))]
        draft = expect(loop.save_draft(EDUCATOR, enr, 0, loop.content(mc, files, "blind")), 200)
        sub = expect(loop.submit(EDUCATOR, enr, draft["revision"]), 201)

        # The pool is set; the admin also runs assignment at once (the submit enqueued it too).
        expect(loop.as_(ISSUER_ADMIN).request("POST", f"/api/v1/issuers/{issuer_id}/assignments/run"), 200)
        assigned = loop.wait_reviews(sub["code"], REVIEWERS, 2)
        self.assertEqual(sorted(assigned), sorted(REVIEWERS))

        received = []  # (what, text) for every byte a reviewer got

        def keep(what, result):
            status, body, headers = result
            text = body.decode("latin-1") if isinstance(body, bytes) else json.dumps(body)
            received.append((what, f"{status}\n{json.dumps(dict(headers.items()))}\n{text}"))
            return status, body, headers

        content_urls = 0
        for email_addr, item in assigned.items():
            person = loop.as_(email_addr)
            keep(f"{email_addr} queue", person.request("GET", "/api/v1/reviews"))
            detail = keep(f"{email_addr} review", person.request("GET", f"/api/v1/reviews/{item['id']}"))[1]
            self.assertEqual(detail["code"], sub["code"])
            for artifact in detail["submission"]["artifacts"]:
                if "content_url" in artifact:
                    content_urls += 1
                    status, body, headers = keep(f"{email_addr} file {artifact['file_id']}",
                                                 person.request("GET", artifact["content_url"]))
                    self.assertEqual(status, 200, body)
                    self.assertEqual(body[:5], b"%PDF-")
                    keep(f"{email_addr} file metadata", person.request("GET", f"/api/v1/files/{artifact['file_id']}"))
            keep(f"{email_addr} stats", person.request("GET", "/api/v1/reviews/stats"))
            saved = keep(f"{email_addr} save", person.request(
                "PUT", f"/api/v1/reviews/{item['id']}",
                {"revision": detail["revision"], "ratings": loop.ratings(detail, True), "comment": "Clear."}))[1]
            keep(f"{email_addr} complete", loop.complete(email_addr, item["id"], saved["revision"], True))
            keep(f"{email_addr} history", person.request("GET", "/api/v1/reviews?state=completed"))
        self.assertEqual(content_urls, 2 * sum(len(v) for v in files.values()),
                         "each reviewer opened every uploaded file")

        # The decision is in; the educator's own view shows it.
        self.assertEqual(loop.submission(EDUCATOR, sub["id"])["state"], "earned")

        # Notifications and the emails the job worker wrote for each reviewer.
        for email_addr in REVIEWERS:
            person = loop.as_(email_addr)
            notes = keep(f"{email_addr} notifications", person.request("GET", "/api/v1/notifications"))[1]
            kinds = [n.get("kind") for n in notes.get("items", [])]
            self.assertIn("review.assigned", kinds, notes)
            deadline = time.time() + 20
            while not self.emails_to(email_addr) and time.time() < deadline:
                time.sleep(0.2)
            mails = self.emails_to(email_addr)
            self.assertTrue(mails, f"no email reached {email_addr}")
            for i, text in enumerate(mails):
                received.append((f"{email_addr} email {i}", text))

        secrets = self.secrets()
        self.assertIn("Riverbend Elementary School", secrets)
        # The detector can fail: the educator's own view of the submission does name them.
        own = json.dumps(loop.submission(EDUCATOR, sub["id"])).lower()
        self.assertTrue(any(secret.lower() in own for secret in secrets))
        leaks = [f"{what}: {secret!r}" for what, text in received for secret in secrets
                 if secret.lower() in text.lower()]
        self.assertEqual(leaks, [], "a reviewer received who the educator is")
        self.assertGreaterEqual(len(received), 12)


class BlindReviewOnSqlite(BlindReview, unittest.TestCase):
    @classmethod
    def database_url(cls):
        return None


class BlindReviewOnPostgres(BlindReview, unittest.TestCase):
    @classmethod
    def database_url(cls):
        server = pg_server_url()
        if not server:
            raise AssertionError("CAIRN_TEST_PG_URL is not set: blind review must also hold on "
                                 "PostgreSQL (scripts/test.sh starts a cluster and sets it)")
        cls.pg_server = server
        return fresh_pg_database(server, "cairn_blind")

    @classmethod
    def drop_database(cls):
        drop_pg_database(cls.pg_server, cls.db_url)


if __name__ == "__main__":
    unittest.main(verbosity=2)
