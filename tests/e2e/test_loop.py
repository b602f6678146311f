"""The evidence-and-review issue's "Done when", against the real binary on SQLite and on
PostgreSQL (CAIRN_TEST_PG_URL; `make test` always sets it, and its absence is a failure, not a
skip): an issuer admin sets up the reviewer pool; an educator enrols, saves a draft, uploads a
video with tus and a dropped connection in the middle, submits; two reviewers disagree; the third
decides Not yet with feedback; the educator reads the feedback per criterion, revises and
resubmits; two reviewers agree Earned; the enrolment is earned and a verifiable credential exists.
Notifications and emails arrive for assignment and decision."""
import base64
import email
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import SeededDemo, expect, small_video, tiny_pdf  # noqa: E402

ISSUER_ADMIN = "maria.alvarez@tpc.example.org"
EDUCATOR = "priya.natarajan@riverbend.example.org"
OTHER_EDUCATOR = "dana.brooks@lakeview.example.org"
REVIEWERS = ["grace.kim@tpc.example.org", "helen.okafor@lakeview.example.org",
             "tom.becker@riverbend.example.org", "samuel.ortiz@lakeview.example.org"]
MICRO_CREDENTIAL = "Growth Mindset Feedback"  # its third artifact accepts a video


class WholeLoop(SeededDemo):
    """Mixed into one TestCase per database (SeededDemo)."""
    pg_prefix = "cairn_loop"

    def test_the_whole_loop(self):
        loop, cairn = self.loop, self.cairn
        routes = cairn.run("routes")
        self.assertEqual(routes.returncode, 0, "every route is in the OpenAPI document: " + routes.stderr)

        # The issuer admin puts four reviewers in the pool for the micro-credential.
        mc = loop.micro_credential(MICRO_CREDENTIAL)
        issuer_id = loop.issuer_of(ISSUER_ADMIN)
        self.assertEqual(mc["issuer_id"], issuer_id)
        loop.add_reviewers(ISSUER_ADMIN, issuer_id, REVIEWERS, [mc["id"]])

        # The educator enrols and saves a first, partial draft.
        enrolment = loop.enrol(EDUCATOR, mc["id"])
        enr = enrolment["id"]
        self.assertEqual(enrolment["version"], mc["version"], "the enrolment pins the published version")
        self.assertEqual(enrolment["state"], "active")
        again = loop.as_(EDUCATOR).request("POST", "/api/v1/enrolments", {"micro_credential_id": mc["id"]})
        self.assertEqual(again[0], 200, "enrolling twice returns the open enrolment")
        self.assertEqual(again[1]["id"], enr)
        first = expect(loop.save_draft(EDUCATOR, enr, 0, {"overview": ["A first thought."],
                                                          "artifacts": [], "reflection": []}), 200)
        self.assertEqual(first["revision"], 1)
        self.assertFalse(first["checks"]["ready"], "a partial draft is not ready to submit")

        # Documents, and a video whose first PATCH is cut in the middle, then resumed.
        docs = [loop.upload(EDUCATOR, enr, tiny_pdf(f"lesson plan {i}"), f"plan-{i}.pdf", "application/pdf",
                            requirement=0 if i < 3 else 1)[0] for i in range(4)]
        with tempfile.TemporaryDirectory() as tmp:
            video = small_video(os.path.join(tmp, "class.mp4"), seconds=4)
        cut = len(video) // 2
        video_id, resumed = loop.upload(EDUCATOR, enr, video, "class.mp4", "video/mp4", requirement=2,
                                        cut_at=cut)
        self.assertGreater(resumed["resumed_from"], 0, "bytes before the cut were kept")
        self.assertLessEqual(resumed["resumed_from"], cut, "HEAD reports only bytes that arrived")
        meta = expect(loop.as_(EDUCATOR).request("GET", f"/api/v1/files/{video_id}"), 200)
        self.assertEqual(meta["sha256"], hashlib.sha256(video).hexdigest(), "the resumed file is intact")
        self.assertEqual(meta["kind"], "video")
        status, body, _ = loop.as_(EDUCATOR).request("GET", f"/api/v1/files/{video_id}/content",
                                                     headers={"Range": "bytes=0-99"})
        self.assertEqual(status, 206)
        self.assertEqual(body, video[:100])

        # The complete draft, then attempt 1.
        files = {0: docs[:3], 1: docs[3:], 2: [video_id]}
        full = expect(loop.save_draft(EDUCATOR, enr, 1, loop.content(mc, files, "v1")), 200)
        self.assertTrue(full["checks"]["ready"], full["checks"])
        sub1 = expect(loop.submit(EDUCATOR, enr, full["revision"]), 201)
        self.assertEqual(sub1["attempt"], 1)
        self.assertEqual(sub1["state"], "submitted")
        code1 = sub1["code"]

        # Two reviewers disagree...
        pair = loop.wait_reviews(code1, REVIEWERS, 2)
        (yes_email, yes), (no_email, no) = sorted(pair.items())[:2]
        self.check_strangers_are_kept_out(enr, sub1["id"], yes["id"], [e for e in REVIEWERS if e not in pair][0])
        self.assert_blind(loop.as_(yes_email).request("GET", f"/api/v1/reviews/{yes['id']}"))
        r1 = loop.review(yes_email, True, yes["id"], "Strong evidence of effort-focused feedback.")
        self.assertIsNone(r1["decision"])
        r2 = loop.review(no_email, False, no["id"], "The artifacts do not show revision cycles.")
        self.assertIsNone(r2["decision"], "a disagreement is not a decision")
        self.assertTrue(r2["tie_break_opened"])

        # ...so a third reviewer is assigned, sees both reviews and decides Not yet.
        third = loop.wait_reviews(code1, [e for e in REVIEWERS if e not in pair], 1, tie_break=True)
        tb_email, tb = next(iter(third.items()))
        detail = expect(loop.as_(tb_email).request("GET", f"/api/v1/reviews/{tb['id']}"), 200)
        self.assertEqual(len(detail["earlier_reviews"]), 2, "the tie-break sees both reviews")
        self.assert_blind((200, detail, {}))
        r3 = loop.review(tb_email, False, tb["id"], "Revise: show a second round of student work.")
        self.assertEqual(r3["decision"], "not_yet")
        decided = loop.submission(EDUCATOR, sub1["id"])
        self.assertEqual(decided["state"], "not_yet")
        self.assertEqual([t["state"] for t in decided["timeline"]][:1], ["submitted"])
        self.assertIn("in_review", [t["state"] for t in decided["timeline"]])
        self.assertIn("not_yet", [t["state"] for t in decided["timeline"]])

        # The educator reads the feedback per criterion, from every review, anonymously.
        feedback = expect(loop.as_(EDUCATOR).request("GET", f"/api/v1/submissions/{sub1['id']}/feedback"), 200)
        self.assertEqual(feedback["decision"], "not_yet")
        self.assertTrue(feedback["tie_break"])
        self.assertEqual(len(feedback["criteria"]), len(mc["rubric"]["criteria"]))
        for criterion in feedback["criteria"]:
            self.assertEqual(sorted(r["reviewer"] for r in criterion["reviews"]),
                             ["Reviewer 1", "Reviewer 2", "Reviewer 3"])
            self.assertTrue(all(r["comment"] for r in criterion["reviews"]))
        text = json.dumps(feedback)
        for reviewer in REVIEWERS:
            self.assertNotIn(reviewer, text)
            self.assertNotIn(loop.user_id(reviewer), text)
        self.assertIn("Revise: show a second round of student work.", text)

        # Revise and resubmit: attempt 2; two reviewers agree Earned.
        draft = loop.draft(EDUCATOR, enr)
        revised = expect(loop.save_draft(EDUCATOR, enr, draft["revision"], loop.content(mc, files, "v2")), 200)
        # Nothing saved is ever lost: every revision stays readable.
        history = expect(loop.as_(EDUCATOR).request("GET", f"/api/v1/enrolments/{enr}/draft/revisions"), 200)
        self.assertEqual(sorted(r["revision"] for r in history["items"]), list(range(1, revised["revision"] + 1)))
        v1 = expect(loop.as_(EDUCATOR).request("GET", f"/api/v1/enrolments/{enr}/draft/revisions/{full['revision']}"), 200)
        self.assertEqual(v1["overview"], full["overview"])
        sub2 = expect(loop.submit(EDUCATOR, enr, revised["revision"]), 201)
        self.assertEqual(sub2["attempt"], 2)
        self.assertNotEqual(sub2["code"], code1)
        pair2 = loop.wait_reviews(sub2["code"], REVIEWERS, 2)
        outcomes = [loop.review(e, True, r["id"], "Meets every criterion now.") for e, r in sorted(pair2.items())[:2]]
        self.assertEqual(outcomes[-1]["decision"], "earned")
        self.assertEqual(loop.submission(EDUCATOR, sub2["id"])["state"], "earned")
        self.assertEqual(loop.enrolment(EDUCATOR, enr)["state"], "earned")
        history = loop.submissions(EDUCATOR, enr)
        self.assertEqual(sorted((s["attempt"], s["state"]) for s in history), [(1, "not_yet"), (2, "earned")])
        # An earned enrolment takes no further attempts.
        status, body, _ = loop.submit(EDUCATOR, enr, revised["revision"])
        self.assertEqual(status, 409, body)
        # The first attempt and its feedback stay readable.
        expect(loop.as_(EDUCATOR).request("GET", f"/api/v1/submissions/{sub1['id']}/feedback"), 200)

        self.check_credential(mc)
        self.check_notifications(pair, third, pair2)

    def check_strangers_are_kept_out(self, enr, submission_id, review_id, unassigned_reviewer):
        """Bad input gets a precise 4xx and changes nothing: another educator cannot see the
        submission or upload into the enrolment, a reviewer cannot open a review not theirs."""
        loop = self.loop
        stranger = loop.as_(OTHER_EDUCATOR)
        self.assertEqual(stranger.request("GET", f"/api/v1/submissions/{submission_id}")[0], 404)
        self.assertEqual(stranger.request("GET", f"/api/v1/enrolments/{enr}/draft")[0], 404)
        status, body, _ = stranger.request(
            "POST", "/api/v1/uploads", raw=b"",
            headers={"Tus-Resumable": "1.0.0", "Upload-Length": "10",
                     "Upload-Metadata": "enrolment " + base64.b64encode(enr.encode()).decode()})
        self.assertIn(status, (403, 404), body)
        self.assertEqual(loop.as_(unassigned_reviewer).request("GET", f"/api/v1/reviews/{review_id}")[0], 404)
        status, _, _ = loop.complete(unassigned_reviewer, review_id, 1, True)
        self.assertEqual(status, 404, "completing a review that is not yours")

    def assert_blind(self, result):
        status, body, headers = result
        self.assertEqual(status, 200, body)
        text = json.dumps(body) + json.dumps(dict(headers.items()) if headers else {})
        me = self.loop.me(EDUCATOR)
        for secret in (EDUCATOR, me["user"]["id"], "Priya", "Natarajan"):
            self.assertNotIn(secret, text, "a reviewer must never learn who the educator is")
        for m in me["memberships"]:
            self.assertNotIn(m["organization_id"], text)

    def check_credential(self, mc):
        loop = self.loop
        status, page, _ = loop.as_(EDUCATOR).request("GET", "/api/v1/me/credentials")
        self.assertEqual(status, 200, "awarding is wired (helper C): GET /api/v1/me/credentials")
        mine = [c for c in page["items"] if c["micro_credential_id"] == mc["id"]]
        self.assertEqual(len(mine), 1, page)
        status, document, _ = loop.as_(EDUCATOR).request("GET", f"/api/v1/credentials/{mine[0]['id']}")
        self.assertEqual(status, 200)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(document, f)
            path = f.name
        try:
            verified = self.cairn.run("verify", path)
        finally:
            os.unlink(path)
        self.assertEqual(verified.returncode, 0, "cairn verify accepts the credential:\n" + verified.stdout + verified.stderr)

    def check_notifications(self, pair, third, pair2):
        loop = self.loop
        kinds = {}
        for person in [EDUCATOR, *REVIEWERS]:
            page = expect(loop.as_(person).request("GET", "/api/v1/notifications?limit=100"), 200)
            kinds[person] = [n.get("kind") or n.get("type") for n in page["items"]]
        for reviewer in {*pair, *third, *pair2}:
            self.assertIn("review.assigned", kinds[reviewer], reviewer)
        self.assertEqual(kinds[EDUCATOR].count("submission.decided"), 2, kinds[EDUCATOR])

        # Emails go through the job queue to the outbox (no SMTP server is configured here).
        wanted = {EDUCATOR, *pair, *third, *pair2}
        deadline = time.time() + 20
        while True:
            to = set()
            for path in glob.glob(os.path.join(self.cairn.data_dir, "outbox", "**", "*.eml"), recursive=True):
                with open(path, "rb") as f:
                    to.add(email.message_from_bytes(f.read()).get("To", ""))
            missing = [w for w in wanted if not any(w in t for t in to)]
            if not missing or time.time() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(missing, [], "an email reaches every reviewer assigned and the educator")


class LoopOnSqlite(WholeLoop, unittest.TestCase):
    pass


class LoopOnPostgres(WholeLoop, unittest.TestCase):
    postgres = True


if __name__ == "__main__":
    unittest.main(verbosity=2)
