"""What the foundation issue calls done, against the real binary: a newcomer loads the demo data,
browses the public catalog, signs in as the demo issuer admin and publishes a new version; plus
the process-level promises (config errors name the setting, SIGTERM drains, backup is consistent)."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import Browser, Cairn, without_rendered  # noqa: E402

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
ISSUER_ADMIN = "maria.alvarez@tpc.example.org"
EDUCATOR = "priya.natarajan@riverbend.example.org"
PASSWORD = "cairn-demo"




class NewcomerFlow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cairn = Cairn(BINARY)
        seeded = cls.cairn.run("seed-demo")
        assert seeded.returncode == 0, seeded.stderr + seeded.stdout
        cls.cairn.start()

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()

    def test_public_catalog_lists_the_demo_micro_credentials_without_login(self):
        status, page, _ = self.cairn.request("GET", "/api/v1/micro-credentials?page_size=50")
        self.assertEqual(status, 200)
        titles = {item["title"] for item in page["items"]}
        self.assertGreaterEqual(page["total"], 12)
        for expected in ("Growth Mindset Feedback", "Design Thinking in STEM",
                         "Literacy Across the Disciplines", "Exit Tickets for Formative Assessment"):
            self.assertIn(expected, titles)

    def test_search_finds_class_discussion(self):
        status, page, _ = self.cairn.request("GET", "/api/v1/micro-credentials?q=discussion")
        self.assertEqual(status, 200)
        # startswith: another test in this class may have published a revised title meanwhile.
        self.assertTrue(any(i["title"].startswith("Accountable Talk in Whole-Class Discussion") for i in page["items"]))

    def test_a_micro_credential_shows_every_section_and_its_rubric(self):
        _, page, _ = self.cairn.request("GET", "/api/v1/micro-credentials?q=growth+mindset")
        mc_id = page["items"][0]["id"]
        status, mc, _ = self.cairn.request("GET", f"/api/v1/micro-credentials/{mc_id}")
        self.assertEqual(status, 200)
        text = json.dumps(mc)
        for key in ("competency", "key_method", "research", "resources", "submission", "rubric", "alignments"):
            self.assertIn(f'"{key}"', text, key)
        self.assertGreaterEqual(len(mc["key_method"]["components"]), 2)
        for part in ("overview", "artifacts", "reflection"):
            self.assertTrue(mc["submission"][part], part)
        self.assertGreaterEqual(len(mc["rubric"]["criteria"]), 3)
        for criterion in mc["rubric"]["criteria"]:
            self.assertGreaterEqual(len(criterion["levels"]), 3)
        self.assertIn("<strong>", mc["key_method"]["description_html"], "Markdown is rendered")

    def test_issuer_admin_signs_in_and_publishes_a_new_version(self):
        admin = Browser(self.cairn)
        status, body = admin.sign_in(ISSUER_ADMIN, PASSWORD)
        self.assertEqual(status, 200, body)
        _, me, _ = admin.request("GET", "/api/v1/me")
        issuer_id = next(m["organization_id"] for m in me["memberships"] if m["role"] == "issuer_admin")
        _, page, _ = self.cairn.request("GET", f"/api/v1/micro-credentials?issuer={issuer_id}&sort=title")
        mc_id = page["items"][0]["id"]
        _, v1, _ = self.cairn.request("GET", f"/api/v1/micro-credentials/{mc_id}")

        status, draft, _ = admin.request("POST", f"/api/v1/micro-credentials/{mc_id}/draft")
        self.assertIn(status, (200, 201), draft)
        self.assertEqual(draft["version"], v1["version"] + 1)
        content = without_rendered({k: draft[k] for k in draft if k not in
                                    ("id", "version", "state", "revision", "issuer_id", "issuer_name",
                                     "created_at", "updated_at", "published_at", "retired_at")})
        content["title"] = v1["title"] + " (revised)"
        content["revision"] = draft["revision"]
        status, saved, _ = admin.request("PUT", f"/api/v1/micro-credentials/{mc_id}/draft", content)
        self.assertEqual(status, 200, saved)
        status, published, _ = admin.request("POST", f"/api/v1/micro-credentials/{mc_id}/publish",
                                             {"revision": saved["revision"]})
        self.assertEqual(status, 200, published)

        _, now, _ = self.cairn.request("GET", f"/api/v1/micro-credentials/{mc_id}")
        self.assertEqual(now["version"], v1["version"] + 1)
        self.assertTrue(now["title"].endswith("(revised)"))
        status, old, _ = self.cairn.request("GET", f"/api/v1/micro-credentials/{mc_id}/versions/{v1['version']}")
        self.assertEqual(status, 200)
        self.assertEqual(old["title"], v1["title"], "a published version never changes")

    def test_a_cookie_change_without_the_csrf_token_is_refused(self):
        admin = Browser(self.cairn)
        admin.sign_in(ISSUER_ADMIN, PASSWORD)
        _, page, _ = self.cairn.request("GET", "/api/v1/micro-credentials")
        mc_id = page["items"][0]["id"]
        status, problem, _ = admin.request("POST", f"/api/v1/micro-credentials/{mc_id}/retire",
                                           headers={"X-CSRF-Token": "forged"})
        self.assertEqual(status, 403, problem)
        _, still, _ = self.cairn.request("GET", f"/api/v1/micro-credentials/{mc_id}")
        self.assertNotEqual(still.get("status"), "retired")

    def test_an_educator_cannot_edit_the_catalog(self):
        educator = Browser(self.cairn)
        self.assertEqual(educator.sign_in(EDUCATOR, PASSWORD)[0], 200)
        _, page, _ = self.cairn.request("GET", "/api/v1/micro-credentials")
        status, problem, headers = educator.request("POST", f"/api/v1/micro-credentials/{page['items'][0]['id']}/draft")
        self.assertEqual(status, 403)
        self.assertEqual(headers["Content-Type"], "application/problem+json")

    def test_wrong_password_is_401_and_says_nothing_more(self):
        status, problem = Browser(self.cairn).sign_in(ISSUER_ADMIN, "not-the-password")
        self.assertEqual(status, 401)
        self.assertNotIn("hash", json.dumps(problem))

    def test_openapi_document_is_served(self):
        status, doc, _ = self.cairn.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(doc["openapi"].startswith("3.1"))
        self.assertIn("/api/v1/micro-credentials/{id}", doc["paths"])

    def test_metrics_and_readiness(self):
        self.assertEqual(self.cairn.request("GET", "/readyz")[0], 200)
        status, text, _ = self.cairn.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertIn(b"# TYPE", text)

    def test_access_log_is_json_and_holds_no_secrets(self):
        Browser(self.cairn).sign_in(ISSUER_ADMIN, PASSWORD)
        with open(self.cairn.log_path) as log:
            lines = [line for line in log.read().splitlines() if line.strip()]
        self.assertTrue(lines)
        for line in lines:
            json.loads(line)
            self.assertNotIn(PASSWORD, line)
            self.assertNotIn("cairn_session=", line)


class Process(unittest.TestCase):
    def test_a_wrong_setting_stops_start_up_and_names_it(self):
        cairn = Cairn(BINARY, {"CAIRN_PUBLIC_URL": "ftp://nowhere", "CAIRN_WORKER_THREADS": "0"})
        result = cairn.run("serve")
        self.assertEqual(result.returncode, 2)
        self.assertIn("CAIRN_PUBLIC_URL", result.stderr)
        self.assertIn("CAIRN_WORKER_THREADS", result.stderr)

    def test_sigterm_lets_in_flight_requests_finish_then_exits_zero(self):
        cairn = Cairn(BINARY).start()
        results = []

        def slow_client():
            # A sign-in spends most of a second in Argon2id: long enough to be in flight.
            results.append(cairn.request("POST", "/api/v1/auth/signin",
                                         {"email": "nobody@example.org", "password": "x" * 12})[0])

        t = threading.Thread(target=slow_client)
        t.start()
        import time
        time.sleep(0.05)
        code = cairn.stop(signal.SIGTERM)
        t.join()
        self.assertEqual(code, 0)
        self.assertEqual(results, [401])

    def test_backup_is_a_consistent_readable_copy(self):
        cairn = Cairn(BINARY)
        self.assertEqual(cairn.run("seed-demo").returncode, 0)
        blob_dir = os.path.join(cairn.data_dir, "blobs", "ab")
        os.makedirs(blob_dir)
        with open(os.path.join(blob_dir, "abcd"), "wb") as f:
            f.write(b"evidence bytes")
        dest = os.path.join(cairn.data_dir, "backup")
        result = cairn.run("backup", dest)
        self.assertEqual(result.returncode, 0, result.stderr)
        db = sqlite3.connect(os.path.join(dest, "cairn.db"))
        self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertGreaterEqual(db.execute("SELECT count(*) FROM audit_log").fetchone()[0], 15)
        with open(os.path.join(dest, "blobs", "ab", "abcd"), "rb") as f:
            self.assertEqual(f.read(), b"evidence bytes")

    def test_first_platform_admin_from_the_command_line(self):
        cairn = Cairn(BINARY)
        result = cairn.run("user", "create", "--email", "root@example.org", "--name", "Root",
                           "--platform-admin", stdin="a-long-enough-password\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        cairn.start()
        try:
            status, body = Browser(cairn).sign_in("root@example.org", "a-long-enough-password")
            self.assertEqual(status, 200, body)
        finally:
            cairn.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
