"""Crashes through the real binary: the server is started with CAIRN_FAULT_POINT naming a point
inside a transaction, driven there through the API, and dies by a real SIGKILL. After a restart
without the fault, exactly one consistent outcome exists: the change is wholly absent (no
submission without its snapshot and attempt count, no decision without its award, ledger and
notification) and retrying gives exactly one result. SQLite's file passes PRAGMA integrity_check.
Runs on SQLite, and also on PostgreSQL when CAIRN_TEST_PG_URL is set."""
import os
import signal
import sqlite3
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import (Cairn, Loop, drop_pg_database, expect, fresh_pg_database,  # noqa: E402
                           pg_server_url, tiny_pdf)

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
ISSUER_ADMIN = "james.whitfield@riverbend.example.org"
REVIEWERS = ["grace.kim@tpc.example.org", "helen.okafor@lakeview.example.org",
             "samuel.ortiz@lakeview.example.org"]
MICRO_CREDENTIAL = "Retrieval Practice"


class Crashes:
    @classmethod
    def setUpClass(cls):
        cls.db_url = cls.database_url()
        cls.cairn = Cairn(BINARY, extra_env={"CAIRN_JOB_POLL_MS": "100"}, database_url=cls.db_url)
        seeded = cls.cairn.run("seed-demo")
        assert seeded.returncode == 0, seeded.stderr + seeded.stdout
        cls.cairn.start()

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        cls.drop_database()

    @classmethod
    def drop_database(cls):
        pass

    def setUp(self):
        self.loop = Loop(self.cairn)

    # -- helpers --------------------------------------------------------------------------------
    def crash_at(self, point, request):
        """Restarts the server armed with the fault point, sends request() (which must reach it),
        and checks that the server died by SIGKILL and that the client got no answer."""
        self.cairn.restart({"CAIRN_FAULT_POINT": point})
        try:
            result = request()
        except OSError:  # the connection dropped: the server is gone
            result = None
        self.assertIsNone(result, f"{point}: the request was answered, so the fault point was not reached")
        code = self.cairn.wait_exit(30)
        self.assertEqual(code, -signal.SIGKILL, f"{point}: the server must die by SIGKILL, not {code}")
        self.cairn.start()  # same port and data: the API tokens of self.loop still work
        self.check_integrity()

    def check_integrity(self):
        path = self.cairn.sqlite_path()
        if not path:
            return
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            self.assertEqual(db.execute("PRAGMA foreign_key_check").fetchall(), [])

    def audit_count(self, action, entity_id):
        """How many audit records name this action on this entity (SQLite runs; None on PG)."""
        path = self.cairn.sqlite_path()
        if not path:
            return None
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM audit_log WHERE action = ? AND entity_id = ?",
                              (action, entity_id)).fetchone()[0]

    def prepared(self, educator):
        loop = self.loop
        mc = loop.micro_credential(MICRO_CREDENTIAL)
        enr = loop.enrol(educator, mc["id"])["id"]
        files = {i: [loop.upload(educator, enr, tiny_pdf(f"{educator} {i} {uuid.uuid4()}"), f"d{i}.pdf",
                                 "application/pdf", requirement=i)[0]]
                 for i in range(len(mc["submission"]["artifacts"]))}
        draft = expect(loop.save_draft(educator, enr, loop.draft(educator, enr)["revision"],
                                       loop.content(mc, files, "crash")), 200)
        return mc, enr, draft

    def decided_notices(self, educator, submission_id):
        page = expect(self.loop.as_(educator).request("GET", "/api/v1/notifications?limit=100"), 200)
        return [n for n in page["items"] if n["kind"] == "submission.decided" and submission_id in n["link"]]

    def ledger_size(self, issuer):
        body = expect(self.loop.as_(ISSUER_ADMIN).request("GET", f"/api/v1/issuers/{issuer}/ledger"), 200)
        return len(body["items"])

    def awards(self, issuer, mc_id):
        status, body, _ = self.loop.as_(ISSUER_ADMIN).request("GET", f"/api/v1/issuers/{issuer}/awards")
        if status == 404:
            return None  # awarding not wired
        self.assertEqual(status, 200, body)
        return [a for a in body["items"] if a["micro_credential_id"] == mc_id]

    # -- the fault points ----------------------------------------------------------------------
    def test_1_killed_while_submitting(self):
        educator = "priya.natarajan@riverbend.example.org"
        mc, enr, draft = self.prepared(educator)
        key = str(uuid.uuid4())
        self.crash_at("submit.before_commit", lambda: self.loop.submit(educator, enr, draft["revision"], key))

        loop = self.loop
        self.assertEqual(loop.submissions(educator, enr), [], "no submission survives the crash")
        enrolment = loop.enrolment(educator, enr)
        self.assertEqual(enrolment["attempts_used"], 0, "the attempt was not counted")
        self.assertEqual(loop.draft(educator, enr)["revision"], draft["revision"], "the draft is intact")
        self.assertEqual(loop.draft(educator, enr)["submitted_revision"], 0)

        # The educator retries; SQLite has one server process, so the crashed request's key is
        # free at once (PostgreSQL waits out the reservation's lease: retry without it there).
        retry_key = key if self.cairn.sqlite_path() else None
        sub = expect(loop.submit(educator, enr, draft["revision"], retry_key), 201)
        self.assertEqual(sub["attempt"], 1)
        self.assertEqual(sub["content"]["overview"], draft["overview"], "the snapshot is the draft")
        self.assertEqual(len(loop.submissions(educator, enr)), 1)
        self.assertEqual(loop.enrolment(educator, enr)["attempts_used"], 1)
        if retry_key:
            again = loop.submit(educator, enr, draft["revision"], retry_key)
            self.assertEqual(again[0], 201)
            self.assertEqual(again[2].get("Idempotent-Replayed"), "true")
            self.assertEqual(again[1]["id"], sub["id"])
        self.assertEqual(len(loop.submissions(educator, enr)), 1, "exactly one attempt")
        self.assertIn(self.audit_count("submission.create", sub["id"]), (1, None))

    def test_2_killed_while_completing_a_review_or_deciding(self):
        loop = self.loop
        educator = "sofia.romero@riverbend.example.org"
        mc, enr, draft = self.prepared(educator)
        issuer = loop.issuer_of(ISSUER_ADMIN)
        loop.add_reviewers(ISSUER_ADMIN, issuer, REVIEWERS, [mc["id"]])
        sub = expect(loop.submit(educator, enr, draft["revision"]), 201)
        pair = loop.wait_reviews(sub["code"], REVIEWERS, 2)
        (first, r1), (second, r2) = sorted(pair.items())
        saved1 = loop.save_review(first, r1["id"], True, "first")
        saved2 = loop.save_review(second, r2["id"], True, "second")
        ledger_before = self.ledger_size(issuer)

        # A review's completion dies before commit: the review is still open, no ledger entry.
        self.crash_at("review.before_commit", lambda: loop.complete(first, r1["id"], saved1["revision"], True))
        detail = expect(loop.as_(first).request("GET", f"/api/v1/reviews/{r1['id']}"), 200)
        self.assertEqual(detail["state"], "in_progress")
        self.assertEqual(self.ledger_size(issuer), ledger_before)
        done1 = expect(loop.complete(first, r1["id"], detail["revision"], True), 200)
        self.assertIsNone(done1["decision"])
        self.assertEqual(self.ledger_size(issuer), ledger_before + 1)

        # The deciding completion dies inside the decision: nothing of the decision exists.
        self.crash_at("decision.before_commit", lambda: loop.complete(second, r2["id"], saved2["revision"], True))
        got = loop.submission(educator, sub["id"])
        self.assertEqual(got["state"], "in_review", "no decision survives the crash")
        self.assertIsNone(got["decided_at"])
        self.assertEqual(loop.enrolment(educator, enr)["state"], "active")
        self.assertEqual(self.decided_notices(educator, sub["id"]), [])
        self.assertIn(self.audit_count("submission.decide", sub["id"]), (0, None))
        self.assertEqual(self.ledger_size(issuer), ledger_before + 1)
        awards = self.awards(issuer, mc["id"])
        if awards is not None:
            self.assertEqual(awards, [], "no award without its decision")
        status, _, _ = loop.as_(educator).request("GET", f"/api/v1/submissions/{sub['id']}/feedback")
        self.assertNotEqual(status, 200, "no feedback before a decision")

        # The reviewer completes again: exactly one decision with all that belongs to it.
        detail = expect(loop.as_(second).request("GET", f"/api/v1/reviews/{r2['id']}"), 200)
        done2 = expect(loop.complete(second, r2["id"], detail["revision"], True), 200)
        self.assertEqual(done2["decision"], "earned")
        again = loop.complete(second, r2["id"], detail["revision"], True)
        self.assertEqual(again[0], 409, "deciding twice")
        got = loop.submission(educator, sub["id"])
        self.assertEqual(got["state"], "earned")
        self.assertEqual([t["state"] for t in got["timeline"]].count("earned"), 1)
        self.assertEqual(loop.enrolment(educator, enr)["state"], "earned")
        self.assertEqual(len(self.decided_notices(educator, sub["id"])), 1)
        self.assertIn(self.audit_count("submission.decide", sub["id"]), (1, None))
        self.assertEqual(self.ledger_size(issuer), ledger_before + 2)
        awards = self.awards(issuer, mc["id"])
        if awards is not None:
            self.assertEqual(len(awards), 1, "one credential for one decision")


class CrashesOnSqlite(Crashes, unittest.TestCase):
    @classmethod
    def database_url(cls):
        return None


@unittest.skipUnless(pg_server_url(), "CAIRN_TEST_PG_URL is not set")
class CrashesOnPostgres(Crashes, unittest.TestCase):
    @classmethod
    def database_url(cls):
        cls.pg_server = pg_server_url()
        return fresh_pg_database(cls.pg_server, "cairn_crash")

    @classmethod
    def drop_database(cls):
        drop_pg_database(cls.pg_server, cls.db_url)


if __name__ == "__main__":
    unittest.main(verbosity=2)
