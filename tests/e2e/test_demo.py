"""`cairn seed-demo` shows the whole loop (issues 3 and 4): the issuers' reviewer pools hold the
demo reviewers; two educators hold credentials that two reviewers decided Earned, one of them
revoked with a reason; one educator has a Not yet with feedback and a draft for attempt 2; one
submission waits in two reviewers' queues. Checked as the demo people see it, through the API, the
CLI (`cairn credentials list --json`, `cairn verify`) and the public pages, on SQLite and on
PostgreSQL (CAIRN_TEST_PG_URL). Priya and the micro-credentials other e2e tests use (Growth
Mindset, Exit Tickets, Retrieval Practice) are left untouched for them."""
import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import (Cairn, Loop, drop_pg_database, expect, fresh_pg_database,  # noqa: E402
                           pg_server_url)

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
PRIYA = "priya.natarajan@riverbend.example.org"
MARCUS = "marcus.lee@riverbend.example.org"
SOFIA = "sofia.romero@riverbend.example.org"
DANA = "dana.brooks@lakeview.example.org"
MARIA = "maria.alvarez@tpc.example.org"
JAMES = "james.whitfield@riverbend.example.org"
REVIEWERS = ["grace.kim@tpc.example.org", "helen.okafor@lakeview.example.org",
             "samuel.ortiz@lakeview.example.org", "tom.becker@riverbend.example.org",
             "aisha.rahman@riverbend.example.org"]
# (educator, title, status) of every credential the demo issues.
CREDENTIALS = [(SOFIA, "Student Self-Assessment with Rubrics", "active"),
               (MARCUS, "Project-Based Learning: Launching a Driving Question", "active"),
               (SOFIA, "Culturally Responsive Teaching", "revoked")]
WAITING = (MARCUS, "Literacy Across the Disciplines")


class DemoData:
    """Mixed into one TestCase per database; database_url() names where the run keeps its data."""

    @classmethod
    def setUpClass(cls):
        cls.db_url = cls.database_url()
        cls.cairn = Cairn(BINARY, extra_env={"CAIRN_FETCH_ALLOW_PRIVATE": "true"}, database_url=cls.db_url)
        # Credentials name the address they are served from, so it is set before seeding.
        cls.cairn.env["CAIRN_PUBLIC_URL"] = f"http://127.0.0.1:{cls.cairn.port}"
        started = time.monotonic()
        cls.seeded = cls.cairn.run("seed-demo")
        cls.seed_seconds = time.monotonic() - started
        assert cls.seeded.returncode == 0, cls.seeded.stderr + cls.seeded.stdout
        cls.again = cls.cairn.run("seed-demo")
        cls.cairn.start()
        cls.loop = Loop(cls.cairn)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        cls.drop_database()

    @classmethod
    def drop_database(cls):
        pass

    def mine(self, email):
        return expect(self.loop.as_(email).request("GET", "/api/v1/me/credentials"), 200)["items"]

    def enrolment(self, email, title):
        items = expect(self.loop.as_(email).request("GET", "/api/v1/enrolments"), 200)["items"]
        return next(e for e in items if e["title"] == title)

    def verify(self, credential_id, recipient):
        doc = expect(self.cairn.request("GET", f"/api/v1/credentials/{credential_id}"), 200)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f)
            path = f.name
        try:
            result = self.cairn.run("verify", "--recipient-email", recipient, path)
        finally:
            os.unlink(path)
        return result.returncode, json.loads(result.stdout) if result.stdout.strip() else {}

    def test_seed_is_fast_and_loads_once(self):
        self.assertLess(self.seed_seconds, 10, self.seeded.stdout)
        self.assertIn("3 credentials issued (1 revoked)", self.seeded.stdout)
        self.assertNotEqual(self.again.returncode, 0)
        self.assertIn("already loaded", self.again.stderr)
        # The refused second run added nothing.
        listed = json.loads(self.cairn.run("credentials", "list", "--json").stdout)
        self.assertEqual(len(listed), 3, listed)

    def test_educators_see_their_earned_credentials(self):
        for email in (SOFIA, MARCUS):
            items = self.mine(email)
            expected = sorted((title, status) for who, title, status in CREDENTIALS if who == email)
            self.assertEqual(sorted((c["title"], c["status"]) for c in items), expected, email)
            for title, _ in expected:
                self.assertEqual(self.enrolment(email, title)["state"], "earned")
        self.assertEqual(self.mine(DANA), [])
        self.assertEqual(self.mine(PRIYA), [], "Priya is left for the walkthrough in the README")

    def credential(self, email, title):
        return next(c for c in self.mine(email) if c["title"] == title)

    def test_cli_lists_them_with_one_revoked(self):
        result = self.cairn.run("credentials", "list", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        listed = json.loads(result.stdout)
        self.assertEqual(sorted((c["recipient_email"], c["title"], c["status"]) for c in listed),
                         sorted(CREDENTIALS))
        revoked = next(c for c in listed if c["status"] == "revoked")
        # The issuer admin's award list carries the revocation reason.
        issuer = self.loop.issuer_of(MARIA)
        awards = expect(self.loop.as_(MARIA).request("GET", f"/api/v1/issuers/{issuer}/awards"), 200)["items"]
        gone = next(a for a in awards if a["id"] == revoked["id"])
        self.assertIn("Issued in error", gone["revocation_reason"])

    def test_verify_passes_active_and_reports_revoked(self):
        for email, title, expected in CREDENTIALS:
            code, report = self.verify(self.credential(email, title)["id"], email)
            status = next(c for c in report["checks"] if c["id"] == "status")
            if expected == "revoked":
                self.assertNotEqual(code, 0, report)
                self.assertEqual(status["outcome"], "failed", report)
                self.assertIn("revoked", status["message"])
            else:
                self.assertEqual(code, 0, report)
                for check in report["checks"]:
                    self.assertEqual(check["outcome"], "passed", report)

    def test_public_pages_answer(self):
        for email, title, _ in CREDENTIALS:
            credential = self.credential(email, title)
            status, body, headers = self.cairn.request("GET", f"/credentials/{credential['id']}",
                                                       headers={"Accept": "text/html"})
            self.assertEqual(status, 200, credential["id"])
            self.assertIn("text/html", headers.get("Content-Type", ""))
            self.assertIn(title.encode(), body)

    def test_reviewer_pools_hold_the_demo_reviewers(self):
        national = self.loop.issuer_of(MARIA)
        pool = expect(self.loop.as_(MARIA).request("GET", f"/api/v1/issuers/{national}/reviewers"), 200)["items"]
        self.assertEqual(sorted(r["email"] for r in pool), sorted(REVIEWERS))
        self.assertTrue(all(1 <= r["load_cap"] <= 10 for r in pool), pool)
        district = self.loop.issuer_of(JAMES)
        pool = expect(self.loop.as_(JAMES).request("GET", f"/api/v1/issuers/{district}/reviewers"), 200)["items"]
        # Riverbend's own teachers do not review Riverbend's work: its pool is the neighbours'.
        self.assertEqual(sorted(r["email"] for r in pool), sorted(REVIEWERS[:3]))
        policy = expect(self.loop.as_(JAMES).request("GET", f"/api/v1/issuers/{district}/review-policy"), 200)
        self.assertTrue(policy["never_same_district"], policy)

    def test_a_submission_waits_in_two_reviewers_queues(self):
        educator, title = WAITING
        enrolment = self.enrolment(educator, title)
        submissions = expect(self.loop.as_(educator).request(
            "GET", f"/api/v1/enrolments/{enrolment['id']}/submissions"), 200)["items"]
        self.assertEqual([s["state"] for s in submissions], ["submitted"])
        code = submissions[0]["code"]
        waiting = self.loop.reviews_of(code, REVIEWERS, states=("assigned",))
        self.assertEqual(len(waiting), 2, waiting)
        self.assertNotIn("tom.becker@riverbend.example.org", waiting, "never a reviewer from his school")
        me = self.loop.me(educator)["user"]
        for email, item in waiting.items():
            detail = json.dumps(expect(self.loop.as_(email).request("GET", f"/api/v1/reviews/{item['id']}"), 200))
            self.assertIn(title, detail)
            for secret in (me["display_name"], me["email"], me["id"]):
                self.assertNotIn(secret, detail, "the reviewer reads the submission blind")

    def test_not_yet_has_feedback_and_a_draft_for_attempt_two(self):
        educator = self.loop.as_(DANA)
        enrolment = self.enrolment(DANA, "Culturally Responsive Teaching")
        submissions = expect(educator.request("GET", f"/api/v1/enrolments/{enrolment['id']}/submissions"),
                             200)["items"]
        self.assertEqual([(s["attempt"], s["state"]) for s in submissions], [(1, "not_yet")])
        feedback = expect(educator.request("GET", f"/api/v1/submissions/{submissions[0]['id']}/feedback"), 200)
        self.assertEqual(feedback["decision"], "not_yet")
        self.assertEqual(len(feedback["criteria"]), 4)
        for criterion in feedback["criteria"]:
            self.assertEqual(sorted(e["reviewer"] for e in criterion["reviews"]), ["Reviewer 1", "Reviewer 2"])
            self.assertTrue(all(e["comment"] for e in criterion["reviews"]), criterion)
        draft = expect(educator.request("GET", f"/api/v1/enrolments/{enrolment['id']}/draft"), 200)
        self.assertIn("2019 walkout", draft["overview"][0])
        self.assertEqual(len(draft["artifacts"]), 4, "the next attempt keeps the evidence")
        self.assertEqual(enrolment["attempts_left"], enrolment["attempt_cap"] - 1)


class DemoOnSqlite(DemoData, unittest.TestCase):
    @classmethod
    def database_url(cls):
        return None


class DemoOnPostgres(DemoData, unittest.TestCase):
    @classmethod
    def database_url(cls):
        server = pg_server_url()
        if not server:
            raise AssertionError("CAIRN_TEST_PG_URL is not set: the demo must also load on PostgreSQL "
                                 "(scripts/test.sh starts a cluster and sets it)")
        cls.pg_server = server
        return fresh_pg_database(server, "cairn_demo")

    @classmethod
    def drop_database(cls):
        drop_pg_database(cls.pg_server, cls.db_url)


if __name__ == "__main__":
    unittest.main(verbosity=2)
