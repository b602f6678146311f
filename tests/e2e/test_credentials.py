"""Credentials with the real binary: a credential earned through the real review loop, then the
CLI (`cairn credentials list [--json]`, `show`), the public documents verifiers fetch (issuer
controller document, status list with caching headers), `cairn verify` on the issued JSON and on
tampered copies, key rotation (old credentials keep verifying), the issuer's CSV export, CLR, and
revocation (irreversible, seen by the verifier at once)."""
import csv
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import Cairn, Loop, expect, tiny_pdf  # noqa: E402

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
ISSUER_ADMIN = "maria.alvarez@tpc.example.org"
OTHER_ADMIN = "james.whitfield@riverbend.example.org"
EDUCATOR = "priya.natarajan@riverbend.example.org"
REVIEWERS = ["grace.kim@tpc.example.org", "helen.okafor@lakeview.example.org",
             "tom.becker@riverbend.example.org", "samuel.ortiz@lakeview.example.org"]
MICRO_CREDENTIAL = "Growth Mindset Feedback"


class Credentials(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cairn = Cairn(BINARY, extra_env={"CAIRN_JOB_POLL_MS": "100", "CAIRN_FETCH_ALLOW_PRIVATE": "true"})
        cls.cairn.env["CAIRN_PUBLIC_URL"] = f"http://127.0.0.1:{cls.cairn.port}"
        seeded = cls.cairn.run("seed-demo")
        assert seeded.returncode == 0, seeded.stderr + seeded.stdout
        cls.cairn.start()
        cls.loop = Loop(cls.cairn)
        cls.mc = cls.loop.micro_credential(MICRO_CREDENTIAL)
        cls.issuer = cls.loop.issuer_of(ISSUER_ADMIN)
        cls.loop.add_reviewers(ISSUER_ADMIN, cls.issuer, REVIEWERS, [cls.mc["id"]])
        cls.credential_id = cls.earn(EDUCATOR)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()

    @classmethod
    def earn(cls, email):
        loop, mc = cls.loop, cls.mc
        enr = loop.enrol(email, mc["id"])["id"]
        files = {i: [loop.upload(email, enr, tiny_pdf(f"cred {i}"), f"doc-{i}.pdf", "application/pdf",
                                 requirement=i)[0]]
                 for i in range(len(mc["submission"]["artifacts"]))}
        draft = expect(loop.save_draft(email, enr, 0, loop.content(mc, files, "cred")), 200)
        sub = expect(loop.submit(email, enr, draft["revision"]), 201)
        pair = loop.wait_reviews(sub["code"], REVIEWERS, 2)
        outcomes = [loop.review(e, True, r["id"], "Meets every criterion.") for e, r in sorted(pair.items())]
        assert outcomes[-1]["decision"] == "earned", outcomes
        mine = expect(loop.as_(email).request("GET", "/api/v1/me/credentials"), 200)["items"]
        return next(c["id"] for c in mine if c["micro_credential_id"] == mc["id"])

    def document(self, credential_id=None):
        return expect(self.cairn.request("GET", f"/api/v1/credentials/{credential_id or self.credential_id}"), 200)

    def verify(self, document):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(document, f)
            path = f.name
        try:
            result = self.cairn.run("verify", path)
        finally:
            os.unlink(path)
        return result.returncode, json.loads(result.stdout) if result.stdout.strip() else {}

    @staticmethod
    def check(report, check_id):
        return next(c for c in report["checks"] if c["id"] == check_id)

    # Runs first (unittest sorts by name): everything below needs the credential unrevoked.
    def test_1_issued_credential_verifies_with_the_real_cli(self):
        doc = self.document()
        self.assertEqual(doc["type"], ["VerifiableCredential", "OpenBadgeCredential"])
        self.assertEqual(doc["issuer"]["id"], self.cairn.url(f"/issuers/{self.issuer}"))
        self.assertEqual(doc["proof"]["cryptosuite"], "eddsa-rdfc-2022")
        code, report = self.verify(doc)
        self.assertEqual(code, 0, report)
        for check_id in ("structure", "proof", "issuer_key", "validity", "status"):
            self.assertEqual(self.check(report, check_id)["outcome"], "passed", report)

    def test_2_tampered_copies_fail(self):
        # (Renaming OpenBadgeCredential to AchievementCredential is no change: the OB 3.0 context
        # maps both to one IRI, so the canonical form and the proof stay the same.)
        doc = self.document()
        changes = {
            "name": lambda d: d.__setitem__("name", d["name"] + "!"),
            "validFrom": lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
            "achievement name": lambda d: d["credentialSubject"]["achievement"].__setitem__("name", "Other"),
            "identity hash": lambda d: d["credentialSubject"]["identifier"][0].__setitem__(
                "identityHash", "sha256$" + "0" * 64),
            "status index": lambda d: d["credentialStatus"].__setitem__("statusListIndex", "1"),
            "a result dropped": lambda d: d["credentialSubject"]["result"].pop(),
            "type": lambda d: d.__setitem__("type", ["VerifiableCredential"]),
            "subject type": lambda d: d["credentialSubject"].__setitem__("type", ["Profile"]),
        }
        for what, change in changes.items():
            tampered = json.loads(json.dumps(doc))
            change(tampered)
            code, report = self.verify(tampered)
            self.assertNotEqual(code, 0, what)
            self.assertEqual(self.check(report, "proof")["outcome"], "failed", what)

    def test_3_cli_lists_and_shows_credentials(self):
        listed = self.cairn.run("credentials", "list", "--json")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        rows = json.loads(listed.stdout)
        row = next(r for r in rows if r["id"] == self.credential_id)
        self.assertEqual(row["recipient_email"], EDUCATOR)
        self.assertEqual(row["micro_credential_id"], self.mc["id"])
        self.assertEqual(row["issuer_id"], self.issuer)
        self.assertIn(row["status"], ("active", "revoked"))
        plain = self.cairn.run("credentials", "list")
        self.assertEqual(plain.returncode, 0)
        self.assertIn(self.credential_id, plain.stdout)
        self.assertIn(EDUCATOR, plain.stdout)
        shown = self.cairn.run("credentials", "show", self.credential_id)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertEqual(json.loads(shown.stdout), self.document())
        missing = self.cairn.run("credentials", "show", "cred_doesnotexist")
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("no credential", missing.stderr)

    def test_4_public_documents_have_caching_headers(self):
        doc = self.document()
        list_url = doc["credentialStatus"]["statusListCredential"]
        path = list_url[len(self.cairn.url("")):]
        status, status_list, headers = self.cairn.request("GET", path)
        self.assertEqual(status, 200)
        self.assertEqual(headers["Cache-Control"], "public, max-age=300")
        self.assertEqual(status_list["type"], ["VerifiableCredential", "BitstringStatusListCredential"])
        self.assertTrue(status_list["credentialSubject"]["encodedList"].startswith("u"))
        etag = headers["ETag"]
        status, _, _ = self.cairn.request("GET", path, headers={"If-None-Match": etag})
        self.assertEqual(status, 304)
        status, controller, _ = self.cairn.request("GET", f"/issuers/{self.issuer}")
        self.assertEqual(status, 200)
        self.assertEqual(controller["id"], doc["issuer"]["id"])
        self.assertIn(doc["proof"]["verificationMethod"], controller["assertionMethod"])
        # http public URL: no did:web document.
        self.assertEqual(self.cairn.request("GET", f"/issuers/{self.issuer}/did.json")[0], 404)
        status, png, headers = self.cairn.request("GET", f"/badges/{self.mc['id']}/1.png")
        self.assertEqual(status, 200)
        self.assertTrue(png.startswith(b"\x89PNG"))

    def test_5_rotation_keeps_old_credentials_verifying(self):
        admin = self.loop.as_(ISSUER_ADMIN)
        before = self.document()
        key = expect(admin.request("POST", f"/api/v1/issuers/{self.issuer}/keys/rotate"), 201)
        self.assertNotEqual(key["verification_method"], before["proof"]["verificationMethod"])
        keys = expect(admin.request("GET", f"/api/v1/issuers/{self.issuer}/keys"), 200)["items"]
        self.assertGreaterEqual(len(keys), 2)
        self.assertEqual(sum(1 for k in keys if k["retired_at"] is None), 1)
        code, report = self.verify(before)
        self.assertEqual(code, 0, report)
        # Someone else's issuer cannot rotate it.
        other = self.loop.as_(OTHER_ADMIN)
        self.assertEqual(other.request("POST", f"/api/v1/issuers/{self.issuer}/keys/rotate")[0], 403)

    def test_6_awards_csv_and_clr(self):
        admin = self.loop.as_(ISSUER_ADMIN)
        status, body, headers = admin.request("GET", f"/api/v1/issuers/{self.issuer}/awards?format=csv")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/csv"))
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        row = next(r for r in rows if r["id"] == self.credential_id)
        self.assertEqual(row["recipient_email"], EDUCATOR)
        self.assertEqual(admin.request("GET", f"/api/v1/issuers/{self.issuer}/awards?format=xml")[0], 422)
        clr = expect(self.loop.as_(EDUCATOR).request("GET", "/api/v1/me/clr"), 200)
        self.assertEqual(clr["type"], ["VerifiableCredential", "ClrCredential"])
        ids = [c["id"] for c in clr["credentialSubject"]["verifiableCredential"]]
        self.assertIn(self.document()["id"], ids)
        _, report = self.verify(clr)
        self.assertEqual(self.check(report, "proof")["outcome"], "passed", report)
        self.assertEqual(self.check(report, "issuer_key")["outcome"], "passed", report)

    def test_7_private_credentials_say_only_that_they_exist(self):
        educator = self.loop.as_(EDUCATOR)
        expect(educator.request("PUT", f"/api/v1/credentials/{self.credential_id}/visibility",
                                {"visibility": "private"}), 200)
        hidden = self.document()
        self.assertEqual(hidden, {"id": self.cairn.url(f"/credentials/{self.credential_id}"),
                                  "private": True, "status": "active", "valid": True})
        self.assertIn("proof", expect(educator.request("GET", f"/api/v1/credentials/{self.credential_id}"), 200))
        self.assertEqual(self.loop.as_(ISSUER_ADMIN).request(
            "PUT", f"/api/v1/credentials/{self.credential_id}/visibility", {"visibility": "public"})[0], 404)
        expect(educator.request("PUT", f"/api/v1/credentials/{self.credential_id}/visibility",
                                {"visibility": "public"}), 200)

    def test_8_revocation_is_final_and_verifies_as_revoked(self):
        before = self.document()
        admin = self.loop.as_(ISSUER_ADMIN)
        self.assertEqual(self.loop.as_(OTHER_ADMIN).request(
            "POST", f"/api/v1/credentials/{self.credential_id}/revoke", {"reason": "not mine"})[0], 403)
        status, problem, _ = admin.request("POST", f"/api/v1/credentials/{self.credential_id}/revoke", {"reason": ""})
        self.assertEqual(status, 422, problem)
        revoked = expect(admin.request("POST", f"/api/v1/credentials/{self.credential_id}/revoke",
                                       {"reason": "e2e: issued in error"}), 200)
        self.assertEqual(revoked["status"], "revoked")
        self.assertEqual(admin.request("POST", f"/api/v1/credentials/{self.credential_id}/revoke",
                                       {"reason": "again"})[0], 409)
        code, report = self.verify(before)
        self.assertNotEqual(code, 0)
        self.assertEqual(self.check(report, "status")["outcome"], "failed")
        self.assertIn("revoked", self.check(report, "status")["message"])
        listed = json.loads(self.cairn.run("credentials", "list", "--json").stdout)
        self.assertEqual(next(r for r in listed if r["id"] == self.credential_id)["status"], "revoked")


if __name__ == "__main__":
    unittest.main(verbosity=2)
