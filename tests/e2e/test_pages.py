"""The public pages against the real binary: the verification page with and without JavaScript,
friendly 404s, and, for a credential earned through the real review loop, its page (live status,
meta tags, content negotiation), its baked PNG (which `cairn verify` accepts), the portfolio, the
private mode and revocation."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import SeededDemo, expect, tiny_pdf  # noqa: E402

STANDARDS = os.path.join(os.path.dirname(__file__), "..", "data", "standards", "ob-v3p0")
SIGNED_VECTOR = os.path.join(STANDARDS, "test-vectors", "eddsa-rdfc-2022", "signed-credential.json")
ISSUER_ADMIN = "maria.alvarez@tpc.example.org"
EDUCATOR = "priya.natarajan@riverbend.example.org"
REVIEWERS = ["grace.kim@tpc.example.org", "helen.okafor@lakeview.example.org"]
MICRO_CREDENTIAL = "Exit Tickets for Formative Assessment"  # three document artifacts, one each
BROWSER_SCRIPT = os.path.join(os.path.dirname(__file__), "pages_browser.cjs")
PLAYWRIGHT = os.path.join(os.path.dirname(__file__), "..", "..", "web", "node_modules", "playwright-core")


def multipart(fields):
    """fields: [(name, filename or None, bytes)] -> (body, content type)."""
    boundary = "cairn" + uuid.uuid4().hex
    out = b""
    for name, filename, value in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + value + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def meta(html, attr, key):
    m = re.search(rf'<meta {attr}="{re.escape(key)}" content="([^"]*)">', html)
    return m.group(1) if m else None


class Pages(SeededDemo):
    """Mixed into one TestCase per database (SeededDemo)."""
    pg_prefix = "cairn_pages"

    def get(self, path, headers=None):
        status, body, hdrs = self.cairn.request("GET", path, headers=headers)
        return status, body.decode() if isinstance(body, bytes) else body, hdrs

    def test_verify_page_works_without_javascript(self):
        status, html, headers = self.get("/verify")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        csp = headers["Content-Security-Policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertIn('<script src="/assets-public/verify.js" defer></script>', html)
        self.assertIsNone(re.search(r"<script(?![^>]*src=)", html), "no inline script")
        status, script, headers = self.get("/assets-public/verify.js")
        self.assertEqual(status, 200)
        self.assertIn("/api/v1/verify", script)

        with open(SIGNED_VECTOR, "rb") as f:
            vector = f.read()
        body, ctype = multipart([("file", "credential.json", vector), ("json", None, b"")])
        status, page, _ = self.cairn.request("POST", "/verify", raw=body, headers={"Content-Type": ctype})
        self.assertEqual(status, 200)
        page = page.decode()
        for label in ("Format", "Structure", "Signature", "Issuer key", "Validity period", "Revocation status",
                      "Recipient"):
            self.assertIn(f'<th scope="row">{label}</th>', page)
        self.assertIn('<span class="outcome outcome-passed">passed</span>', page)

        body, ctype = multipart([("json", None, b"   ")])
        status, page, _ = self.cairn.request("POST", "/verify", raw=body, headers={"Content-Type": ctype})
        self.assertEqual(status, 400)
        self.assertIn(b"Choose a badge image or JSON file", page)

    def test_unknown_credential_and_portfolio_are_friendly_404_pages(self):
        for path in ("/credentials/cred_doesnotexist", "/credentials/cred_doesnotexist/badge.png",
                     "/portfolio/nobody-at-all"):
            status, html, headers = self.get(path)
            self.assertEqual(status, 404, path)
            self.assertTrue(headers["Content-Type"].startswith("text/html"), path)
            self.assertIn("Not found", html)

    def test_earned_credential_page_badge_portfolio_private_and_revoked(self):
        loop, cairn = self.loop, self.cairn
        status, _, _ = loop.as_(EDUCATOR).request("GET", "/api/v1/me/credentials")
        self.assertEqual(status, 200, "awarding is wired: GET /api/v1/me/credentials")

        # Earn a credential through the real loop: upload, submit, two reviewers agree.
        mc = loop.micro_credential(MICRO_CREDENTIAL)
        issuer_id = loop.issuer_of(ISSUER_ADMIN)
        loop.add_reviewers(ISSUER_ADMIN, issuer_id, REVIEWERS, [mc["id"]])
        enr = loop.enrol(EDUCATOR, mc["id"])["id"]
        files = {i: [loop.upload(EDUCATOR, enr, tiny_pdf(f"pages {i}"), f"doc-{i}.pdf", "application/pdf",
                                 requirement=i)[0]]
                 for i in range(len(mc["submission"]["artifacts"]))}
        draft = expect(loop.save_draft(EDUCATOR, enr, 0, loop.content(mc, files, "pages")), 200)
        sub = expect(loop.submit(EDUCATOR, enr, draft["revision"]), 201)
        pair = loop.wait_reviews(sub["code"], REVIEWERS, 2)
        outcomes = [loop.review(e, True, r["id"], "Meets every criterion.") for e, r in sorted(pair.items())]
        self.assertEqual(outcomes[-1]["decision"], "earned")
        mine = expect(loop.as_(EDUCATOR).request("GET", "/api/v1/me/credentials"), 200)["items"]
        cred = next(c for c in mine if c["micro_credential_id"] == mc["id"])
        cred_id = cred["id"]
        page_url = cairn.url(f"/credentials/{cred_id}")

        # The page: the achievement, the earner, the live status, meta tags, LinkedIn.
        status, html, headers = self.get(f"/credentials/{cred_id}", {"Accept": "text/html"})
        self.assertEqual(status, 200)
        varies = [v.strip().lower() for field in headers.get_all("Vary") or [] for v in field.split(",")]
        self.assertIn("accept", varies)
        self.assertIn(mc["title"].replace("&", "&amp;"), html)
        self.assertIn(loop.me(EDUCATOR)["user"]["display_name"], html)
        self.assertIn('class="status status-valid"', html, "live verification passes through Cairn's own "
                      "controller document and status list")
        self.assertEqual(meta(html, "property", "og:url"), page_url)
        self.assertEqual(meta(html, "property", "og:image"), page_url + "/badge.png")
        self.assertEqual(meta(html, "name", "twitter:card"), "summary_large_image")
        self.assertIn("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=", html)
        self.assertIn('class="achieved"', html, "the achieved rubric levels are marked")

        # Content negotiation: the signed JSON, the same document the API serves.
        status, signed, headers = cairn.request("GET", f"/credentials/{cred_id}",
                                                headers={"Accept": "application/ld+json"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/ld+json")
        _, api_doc, _ = loop.as_(EDUCATOR).request("GET", f"/api/v1/credentials/{cred_id}")
        self.assertEqual(signed, api_doc)

        # The baked PNG carries the credential; the real CLI verifies it.
        status, png, headers = cairn.request("GET", f"/credentials/{cred_id}/badge.png")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "image/png")
        self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "badge.png")
            with open(path, "wb") as f:
                f.write(png)
            verified = cairn.run("verify", path)
        self.assertEqual(verified.returncode, 0, verified.stdout + verified.stderr)
        # And the page's form verifies it too.
        body, ctype = multipart([("file", "badge.png", png)])
        status, report, _ = cairn.request("POST", "/verify", raw=body, headers={"Content-Type": ctype})
        self.assertEqual(status, 200)
        self.assertIn(b"Verified: this credential is authentic and valid.", report)

        # The portfolio: on with this credential, then off.
        educator = loop.as_(EDUCATOR)
        settings = expect(educator.request("PUT", "/api/v1/me/portfolio",
                                           {"enabled": True, "handle": "priya-pages", "credential_ids": [cred_id]}),
                          200)
        self.assertEqual(settings["url"], cairn.url("/portfolio/priya-pages"))
        status, html, _ = self.get("/portfolio/priya-pages")
        self.assertEqual(status, 200)
        self.assertIn(f'<a href="{page_url}">', html)

        # In Chromium, under the pages' real CSP: the /verify script checks the baked badge in place,
        # and axe-core finds no WCAG 2.1 AA violation on any of the pages.
        self.check_in_browser(png, [f"/credentials/{cred_id}", "/portfolio/priya-pages", "/credentials/cred_nope"])

        # Private: the page says only that it exists and is valid; the portfolio drops it.
        expect(educator.request("PUT", f"/api/v1/credentials/{cred_id}/visibility", {"visibility": "private"}), 200)
        status, html, _ = self.get(f"/credentials/{cred_id}")
        self.assertEqual(status, 200)
        self.assertIn("This credential exists and is valid.", html)
        self.assertNotIn(mc["title"].replace("&", "&amp;"), html)
        self.assertNotIn(loop.me(EDUCATOR)["user"]["display_name"], html)
        self.assertEqual(self.get(f"/credentials/{cred_id}/badge.png")[0], 404)
        status, html, _ = self.get("/portfolio/priya-pages")
        self.assertNotIn(page_url, html)
        expect(educator.request("PUT", f"/api/v1/credentials/{cred_id}/visibility", {"visibility": "public"}), 200)
        expect(educator.request("PUT", "/api/v1/me/portfolio", {"enabled": False}), 200)
        self.assertEqual(self.get("/portfolio/priya-pages")[0], 404)

        # Revoked: the page says so at once.
        expect(loop.as_(ISSUER_ADMIN).request("POST", f"/api/v1/credentials/{cred_id}/revoke",
                                              {"reason": "e2e: issued in error"}), 200)
        status, html, _ = self.get(f"/credentials/{cred_id}")
        self.assertEqual(status, 200)
        self.assertIn('class="status status-revoked"', html)
        self.assertNotIn("status-valid", html)

    def check_in_browser(self, png, paths):
        if not os.path.isdir(PLAYWRIGHT):
            self.skipTest("web/node_modules is not installed (scripts/web.sh): no Playwright to drive Chromium")
        with tempfile.TemporaryDirectory() as tmp:
            badge = os.path.join(tmp, "badge.png")
            with open(badge, "wb") as f:
                f.write(png)
            run = subprocess.run(["node", BROWSER_SCRIPT, self.cairn.url(""), badge, *paths],
                                 capture_output=True, text=True, timeout=180)
        self.assertEqual(run.returncode, 0, run.stderr)
        result = json.loads(run.stdout)
        self.assertEqual(result["console_errors"], [], "no CSP violation or script error")
        expected_404 = {p for p in paths if "nope" in p} | {"/favicon.ico"}
        self.assertEqual(set(result["failed_responses"]) - expected_404, set(), "every stylesheet and script loads")
        script = result["script"]
        self.assertEqual(script["api_status"], 200)
        self.assertFalse(script["navigated"], "the script verified in place, without posting the form")
        self.assertIn("status-verified", script["verdict"])
        self.assertEqual(script["rows"], 7)
        self.assertEqual(script["focused"], "report-title", "focus moves to the result for screen readers")
        self.assertEqual(set(result["axe"]), {"/verify", "/verify (report)", *paths}, "axe ran on every page")
        for page, violations in result["axe"].items():
            self.assertEqual(violations, [], f"axe violations on {page}")


class PagesOnSqlite(Pages, unittest.TestCase):
    pass


class PagesOnPostgres(Pages, unittest.TestCase):
    postgres = True


if __name__ == "__main__":
    unittest.main(verbosity=2)
