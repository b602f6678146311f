"""Races through the real binary: many requests released at once behind a threading.Barrier, over
at least 20 rounds each, and exactly one outcome every time: a double-clicked submit (with and
without one Idempotency-Key) makes one attempt; two tabs saving one draft revision give one 200
and 409s; two reviewers completing the last two reviews at the same moment, each clicking several
times, give exactly one decision (and one credential when the reviews agree on Earned), one 2xx
per review and 409 for every repeat. Runs on SQLite, and also on PostgreSQL when
CAIRN_TEST_PG_URL is set."""
import os
import sys
import threading
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import (Browser, Cairn, Loop, drop_pg_database, expect,  # noqa: E402
                           fresh_pg_database, pg_server_url, tiny_pdf)

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
ROUNDS = int(os.environ.get("CAIRN_RACE_ROUNDS", "20"))
ISSUER_ADMIN = "james.whitfield@riverbend.example.org"
EDUCATOR = "priya.natarajan@riverbend.example.org"
SECOND_EDUCATOR = "marcus.lee@riverbend.example.org"
REVIEWERS = ["grace.kim@tpc.example.org", "helen.okafor@lakeview.example.org",
             "aisha.rahman@riverbend.example.org", "samuel.ortiz@lakeview.example.org"]
MICRO_CREDENTIAL = "Retrieval Practice"  # two document artifacts: cheap to fill


def race(n, action):
    """Runs action(i) on n threads released together; returns the results in thread order
    (an exception counts as the result, so a crash in one thread is reported, not hidden)."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = action(i)
        except Exception as e:  # noqa: BLE001 - reported through the result
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def statuses(results):
    out = []
    for r in results:
        if isinstance(r, Exception):
            raise AssertionError(f"a racing request failed outright: {r!r}")
        out.append(r[0])
    return sorted(out)


class Races:
    @classmethod
    def setUpClass(cls):
        cls.db_url = cls.database_url()
        cls.cairn = Cairn(BINARY, extra_env={"CAIRN_JOB_POLL_MS": "100", "CAIRN_WORKER_THREADS": "8"},
                          database_url=cls.db_url)
        seeded = cls.cairn.run("seed-demo")
        assert seeded.returncode == 0, seeded.stderr + seeded.stdout
        cls.cairn.start()
        cls.loop = Loop(cls.cairn)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        cls.drop_database()

    @classmethod
    def drop_database(cls):
        pass

    def ready_enrolment(self, educator):
        """An enrolment of educator with a complete saved draft; returns (mc, enrolment id, files)."""
        loop = self.loop
        mc = loop.micro_credential(MICRO_CREDENTIAL)
        enr = loop.enrol(educator, mc["id"])["id"]
        files = {i: [loop.upload(educator, enr, tiny_pdf(f"{educator} {i} {uuid.uuid4()}"), f"doc{i}.pdf",
                                 "application/pdf", requirement=i)[0]]
                 for i in range(len(mc["submission"]["artifacts"]))}
        return mc, enr, files

    def save(self, educator, enr, mc, files, tag):
        draft = self.loop.draft(educator, enr)
        return expect(self.loop.save_draft(educator, enr, draft["revision"], self.loop.content(mc, files, tag)), 200)

    # -- foundation: works whatever else exists --------------------------------------------------
    def test_1_one_api_token_per_idempotency_key(self):
        browser = Browser(self.cairn)
        self.assertEqual(browser.sign_in(EDUCATOR, "cairn-demo")[0], 200)
        for round_ in range(ROUNDS):
            key = f'"tok-{uuid.uuid4()}"'
            name = f"race {round_}"
            results = race(8, lambda i: browser.request("POST", "/api/v1/me/tokens", {"name": name},
                                                        headers={"Idempotency-Key": key}))
            codes = statuses(results)
            self.assertEqual(codes.count(201), 1, codes)
            self.assertEqual(codes.count(201) + codes.count(409), 8, codes)
            tokens = expect(browser.request("GET", "/api/v1/me/tokens"), 200)["items"]
            self.assertEqual([t["name"] for t in tokens].count(name), 1, f"round {round_}")
        # A different request under a used key is refused.
        status, body, _ = browser.request("POST", "/api/v1/me/tokens", {"name": "other"},
                                          headers={"Idempotency-Key": key})
        self.assertEqual(status, 422, body)

    # -- the loop ----------------------------------------------------------------------------
    def test_2_two_tabs_saving_one_revision(self):
        loop = self.loop
        mc, enr, files = self.ready_enrolment(SECOND_EDUCATOR)
        for round_ in range(ROUNDS):
            base = loop.draft(SECOND_EDUCATOR, enr)["revision"]
            results = race(6, lambda i: loop.save_draft(SECOND_EDUCATOR, enr, base,
                                                        loop.content(mc, files, f"r{round_}t{i}")))
            codes = statuses(results)
            self.assertEqual(codes, [200] + [409] * 5, f"round {round_}: {codes}")
            winner = next(r[1] for r in results if r[0] == 200)
            for status, body, _ in results:
                if status == 409:
                    self.assertEqual(body["current"]["revision"], base + 1, "the conflict shows what is stored")
            stored = loop.draft(SECOND_EDUCATOR, enr)
            self.assertEqual(stored["revision"], base + 1)
            self.assertEqual(stored["overview"], winner["overview"], "the stored draft is the winner's")

    def test_3_double_clicked_submit_makes_one_attempt(self):
        loop = self.loop
        mc, enr, files = self.ready_enrolment(EDUCATOR)
        for round_ in range(ROUNDS):
            draft = self.save(EDUCATOR, enr, mc, files, f"round{round_}")
            key = str(uuid.uuid4()) if round_ % 2 else None
            before = len(loop.submissions(EDUCATOR, enr))
            results = race(6, lambda i: loop.submit(EDUCATOR, enr, draft["revision"], key))
            codes = statuses(results)
            made = [r for r in results if r[0] == 201 and r[2].get("Idempotent-Replayed") != "true"]
            self.assertEqual(len(made), 1, f"round {round_} key={key}: {codes}")
            if key:
                # Repeats either wait (409) or get the one response again.
                self.assertTrue(all(c in (201, 409) for c in codes), codes)
                for r in results:
                    if r[0] == 201:
                        self.assertEqual(r[1]["id"], made[0][1]["id"])
            else:
                self.assertEqual(codes, [201] + [409] * 5, f"round {round_}: {codes}")
            subs = loop.submissions(EDUCATOR, enr)
            self.assertEqual(len(subs), before + 1, f"round {round_}: one attempt")
            enrolment = loop.enrolment(EDUCATOR, enr)
            self.assertEqual(enrolment["attempts_used"], 1)
            # Withdraw it, so the next round starts from the same place.
            expect(loop.as_(EDUCATOR).request("POST", f"/api/v1/submissions/{made[0][1]['id']}/withdraw", {}), 200)
            self.assertEqual(loop.enrolment(EDUCATOR, enr)["attempts_used"], 0)

    def test_4_two_reviewers_completing_at_once_make_one_decision(self):
        loop = self.loop
        educator = "sofia.romero@riverbend.example.org"
        mc, enr, files = self.ready_enrolment(educator)
        issuer = loop.issuer_of(ISSUER_ADMIN)
        loop.add_reviewers(ISSUER_ADMIN, issuer, REVIEWERS, [mc["id"]])
        credentials_wired = loop.as_(educator).request("GET", "/api/v1/me/credentials")[0] == 200
        decided_before = self.decided_notices(educator)  # the demo data has decisions of its own
        for round_ in range(ROUNDS):
            last = round_ == ROUNDS - 1
            enrolment = loop.enrolment(educator, enr)
            if enrolment["attempts_left"] <= 0:
                expect(loop.as_(ISSUER_ADMIN).request("POST", f"/api/v1/enrolments/{enr}/coach-sessions",
                                                      {"note": f"coach {round_}"}), 200, 201)
            draft = self.save(educator, enr, mc, files, f"attempt{round_}")
            sub = expect(loop.submit(educator, enr, draft["revision"]), 201)
            pair = loop.wait_reviews(sub["code"], REVIEWERS, 2)
            earned = last  # agreeing Not yet until the last round, which agrees Earned
            saved = {e: loop.save_review(e, r["id"], earned, f"round {round_}") for e, r in pair.items()}
            clicks = [(e, pair[e]["id"], saved[e]["revision"]) for e in pair for _ in range(3)]
            results = race(len(clicks), lambda i: loop.complete(clicks[i][0], clicks[i][1], clicks[i][2], earned))
            codes = statuses(results)
            self.assertEqual(codes.count(200), 2, f"round {round_}: one 2xx per review: {codes}")
            self.assertEqual(codes.count(409), len(clicks) - 2, f"round {round_}: {codes}")
            decisions = [r[1]["decision"] for r in results if r[0] == 200 and r[1]["decision"]]
            self.assertEqual(decisions, ["earned" if earned else "not_yet"], f"round {round_}")
            got = loop.submission(educator, sub["id"])
            self.assertEqual(got["state"], "earned" if earned else "not_yet")
            states = [t["state"] for t in got["timeline"]]
            self.assertEqual(states.count(got["state"]), 1, states)
        self.assertEqual(loop.enrolment(educator, enr)["state"], "earned")
        if credentials_wired:
            items = expect(loop.as_(educator).request("GET", "/api/v1/me/credentials"), 200)["items"]
            self.assertEqual(len([c for c in items if c["micro_credential_id"] == mc["id"]]), 1)
        self.assertEqual(self.decided_notices(educator) - decided_before, ROUNDS,
                         "one decision notice per attempt")

    def decided_notices(self, email):
        items = expect(self.loop.as_(email).request("GET", "/api/v1/notifications?limit=100"), 200)["items"]
        return sum(n.get("kind") == "submission.decided" for n in items)


class RacesOnSqlite(Races, unittest.TestCase):
    @classmethod
    def database_url(cls):
        return None


@unittest.skipUnless(pg_server_url(), "CAIRN_TEST_PG_URL is not set")
class RacesOnPostgres(Races, unittest.TestCase):
    @classmethod
    def database_url(cls):
        cls.pg_server = pg_server_url()
        return fresh_pg_database(cls.pg_server, "cairn_races")

    @classmethod
    def drop_database(cls):
        drop_pg_database(cls.pg_server, cls.db_url)


if __name__ == "__main__":
    unittest.main(verbosity=2)
