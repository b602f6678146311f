"""The job worker inside the real server: account emails travel through the queue to the outbox,
survive a crash between claiming and sending, and, with two servers on one PostgreSQL database,
each goes out exactly once. The notification inbox answers over HTTP."""
import email
import glob
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import Browser, Cairn, drop_pg_database, fresh_pg_database, pg_server_url  # noqa: E402

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
FAST = {"CAIRN_JOB_POLL_MS": "50"}
PASSWORD = "correct horse battery"


def outbox_mails(*servers):
    """Every email the servers wrote to their outboxes, as (recipient, message)."""
    found = []
    for server in servers:
        for path in sorted(glob.glob(os.path.join(server.data_dir, "outbox", "**", "*.eml"), recursive=True)):
            with open(path, "rb") as f:
                message = email.message_from_bytes(f.read())
            found.append((message.get("To", ""), message))
    return found


def wait_for_mail(to, *servers, count=1, timeout=20):
    deadline = time.time() + timeout
    while True:
        mails = [m for t, m in outbox_mails(*servers) if t == to]
        if len(mails) >= count or time.time() > deadline:
            return mails
        time.sleep(0.05)


def token_of(message):
    match = re.search(r"[?&]token=([A-Za-z0-9_\-]+)", message.get_payload(decode=True).decode())
    return match.group(1) if match else None


class AccountEmailsThroughTheQueue(unittest.TestCase):
    def setUp(self):
        self.cairn = Cairn(BINARY, extra_env=FAST)

    def tearDown(self):
        self.cairn.stop()

    def sign_up(self, address, server=None):
        status, body, _ = (server or self.cairn).request(
            "POST", "/api/v1/auth/signup", {"email": address, "display_name": "Nia", "password": PASSWORD})
        self.assertIn(status, (200, 201, 202), body)

    def test_signup_email_arrives_and_its_link_verifies(self):
        self.cairn.start()
        self.sign_up("nia@example.org")
        mails = wait_for_mail("nia@example.org", self.cairn)
        self.assertEqual(len(mails), 1, "the worker sends the queued verification email")
        self.assertIn("Confirm your email address", mails[0]["Subject"])
        status, body, _ = self.cairn.request("POST", "/api/v1/auth/verify-email", {"token": token_of(mails[0])})
        self.assertEqual(status, 204, body)

        browser = Browser(self.cairn)
        status, body = browser.sign_in("nia@example.org", PASSWORD)
        self.assertEqual(status, 200, body)
        status, page, _ = browser.request("GET", "/api/v1/notifications")
        self.assertEqual(status, 200, page)
        self.assertEqual(page, {"items": [], "unread_count": 0, "next_before": None})
        status, body, _ = browser.request("POST", "/api/v1/notifications/read-all")
        self.assertEqual((status, body), (200, {"marked": 0}))
        status, body, _ = browser.request("POST", "/api/v1/notifications/ntf_doesnotexist/read")
        self.assertEqual(status, 404, body)
        status, body, _ = Browser(self.cairn).request("GET", "/api/v1/notifications")
        self.assertEqual(status, 401, body)

    def test_an_email_claimed_by_a_crashed_server_goes_out_after_the_restart(self):
        self.cairn.start({"CAIRN_FAULT_POINT": "jobs.after_claim:identity.email"})
        self.sign_up("kai@example.org")
        self.assertEqual(self.cairn.wait_exit(timeout=20), -9, "the fault point kills the server")
        self.assertEqual(outbox_mails(self.cairn), [])

        started = time.time()
        self.cairn.start()
        mails = wait_for_mail("kai@example.org", self.cairn)
        self.assertEqual(len(mails), 1, self.cairn.log_text()[-2000:])
        # Resumed at start-up, not after the 15-minute lease of the run that died.
        self.assertLess(time.time() - started, 15)
        status, body, _ = self.cairn.request("POST", "/api/v1/auth/verify-email", {"token": token_of(mails[0])})
        self.assertEqual(status, 204, body)


@unittest.skipUnless(pg_server_url(), "needs CAIRN_TEST_PG_URL (make test sets it)")
class TwoServersOnePostgres(unittest.TestCase):
    def setUp(self):
        self.url = fresh_pg_database(pg_server_url())
        self.servers = [Cairn(BINARY, extra_env=FAST, database_url=self.url) for _ in range(2)]

    def tearDown(self):
        for server in self.servers:
            server.stop()
        drop_pg_database(pg_server_url(), self.url)

    def test_each_queued_email_is_sent_exactly_once(self):
        self.servers[0].start()
        self.servers[1].start()
        addresses = [f"teacher{i}@example.org" for i in range(30)]
        for i, address in enumerate(addresses):
            status, body, _ = self.servers[i % 2].request(
                "POST", "/api/v1/auth/signup", {"email": address, "display_name": "T", "password": PASSWORD})
            self.assertIn(status, (200, 201, 202), body)
        deadline = time.time() + 30
        while len(outbox_mails(*self.servers)) < len(addresses) and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # a duplicate would show up now
        sent = [to for to, _ in outbox_mails(*self.servers)]
        self.assertEqual(sorted(sent), sorted(addresses))


if __name__ == "__main__":
    unittest.main(verbosity=2)
