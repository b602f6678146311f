"""A ~40 MB evidence upload over tus against the real binary: the connection drops more than
10 MB into the first PATCH, HEAD reports what the server durably kept, the upload resumes from
there and finishes; the client sends less than 1.1x the file in all, and the stored file's bytes
hash to the original's SHA-256. Also: a renamed executable is refused. On SQLite and on PostgreSQL
(CAIRN_TEST_PG_URL; `make test` sets it, and its absence is a failure, not a skip)."""
import hashlib
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import (Cairn, Loop, _b64, drop_pg_database, fresh_pg_database,  # noqa: E402
                           pg_server_url)

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
EDUCATOR = "priya.natarajan@riverbend.example.org"
MICRO_CREDENTIAL = "Growth Mindset Feedback"
SIZE = 40 * 1024 * 1024
CUT_AT = 12 * 1024 * 1024
TUS = {"Tus-Resumable": "1.0.0"}


def big_pdf(size):
    """A PDF (libmagic: application/pdf) padded to size bytes with incompressible stream data."""
    head = b"%PDF-1.4\n1 0 obj\n<< /Length " + str(size).encode() + b" >>\nstream\n"
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    body = os.urandom(size - len(head) - len(tail))
    return head + body + tail


class UploadResume:
    """Mixed into one TestCase per database; database_url() names where the run keeps its data."""

    @classmethod
    def setUpClass(cls):
        cls.db_url = cls.database_url()
        cls.cairn = Cairn(BINARY, database_url=cls.db_url)
        seeded = cls.cairn.run("seed-demo")
        assert seeded.returncode == 0, seeded.stderr + seeded.stdout
        cls.cairn.start()
        cls.loop = Loop(cls.cairn)
        mc = cls.loop.micro_credential(MICRO_CREDENTIAL)
        cls.enrolment = cls.loop.enrol(EDUCATOR, mc["id"])["id"]
        cls.person = cls.loop.as_(EDUCATOR)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        cls.drop_database()

    @classmethod
    def drop_database(cls):
        pass

    def create(self, length, filename):
        meta = ",".join([f"enrolment {_b64(self.enrolment)}", f"filename {_b64(filename)}",
                         f"filetype {_b64('application/pdf')}"])
        status, body, headers = self.person.request(
            "POST", "/api/v1/uploads", raw=b"",
            headers={**TUS, "Upload-Length": str(length), "Upload-Metadata": meta})
        self.assertEqual(status, 201, body)
        return headers["Location"]

    def cut_patch(self, location, data, cut_at):
        """Promises all of data, sends cut_at bytes, then drops the connection."""
        s = socket.create_connection(("127.0.0.1", self.cairn.port), timeout=60)
        head = (f"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                f"Authorization: Bearer {self.person.token}\r\nUpload-Offset: 0\r\n"
                f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(data)}\r\n\r\n")
        s.sendall(head.encode())
        view = memoryview(data)
        sent = 0
        while sent < cut_at:
            sent += s.send(view[sent:min(cut_at, sent + (1 << 20))])
        s.shutdown(socket.SHUT_RDWR)
        s.close()
        return sent

    def head_offset(self, location):
        status, _, headers = self.person.request("HEAD", location, headers=TUS)
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        return int(headers["Upload-Offset"])

    def test_resume_after_a_dropped_connection(self):
        data = big_pdf(SIZE)
        location = self.create(len(data), "classroom-recording-notes.pdf")
        sent_first = self.cut_patch(location, data, CUT_AT)
        # The server notices the drop when its read fails; the offset then stops moving.
        offset, deadline = -1, time.time() + 30
        while time.time() < deadline:
            now = self.head_offset(location)
            if now == offset and now > 0:
                break
            offset = now
            time.sleep(0.3)
        self.assertGreater(offset, 10 * 1024 * 1024, "the bytes before the cut were kept")
        self.assertLessEqual(offset, sent_first)
        status, body, headers = self.person.request(
            "PATCH", location, raw=data[offset:],
            headers={**TUS, "Upload-Offset": str(offset),
                     "Content-Type": "application/offset+octet-stream"}, timeout=300)
        self.assertEqual(status, 204, body)
        self.assertEqual(int(headers["Upload-Offset"]), len(data))
        file_id = headers.get("Cairn-File-Id")
        self.assertTrue(file_id and file_id.startswith("fil_"), headers)
        total_sent = sent_first + (len(data) - offset)
        self.assertLess(total_sent, 1.1 * len(data),
                        f"sent {total_sent} bytes for a {len(data)}-byte file")
        print(f"\nfile {len(data)} B, cut after {sent_first} B, resumed from {offset} B, "
              f"sent {total_sent} B in all ({total_sent / len(data):.3f}x)")

        status, meta, _ = self.person.request("GET", f"/api/v1/files/{file_id}")
        self.assertEqual(status, 200, meta)
        self.assertEqual(meta["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(meta["media_type"], "application/pdf")
        status, content, headers = self.person.request("GET", f"/api/v1/files/{file_id}/content",
                                                       timeout=120)
        self.assertEqual(status, 200)
        self.assertEqual(hashlib.sha256(content).hexdigest(), hashlib.sha256(data).hexdigest())
        self.assertEqual(headers.get("Accept-Ranges"), "bytes")
        status, part, headers = self.person.request(
            "GET", f"/api/v1/files/{file_id}/content", headers={"Range": "bytes=-1000"})
        self.assertEqual(status, 206)
        self.assertEqual(part, data[-1000:])

    def test_a_renamed_executable_is_refused(self):
        with open("/bin/ls", "rb") as f:
            elf = f.read()
        location = self.create(len(elf), "lesson-plan.pdf")
        status, body, headers = self.person.request(
            "PATCH", location, raw=elf,
            headers={**TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
        self.assertEqual(status, 415, body)
        self.assertNotIn("Cairn-File-Id", headers)
        status, _, _ = self.person.request("HEAD", location, headers=TUS)
        self.assertEqual(status, 404)


class UploadResumeOnSqlite(UploadResume, unittest.TestCase):
    @classmethod
    def database_url(cls):
        return None


class UploadResumeOnPostgres(UploadResume, unittest.TestCase):
    @classmethod
    def database_url(cls):
        server = pg_server_url()
        if not server:
            raise AssertionError("CAIRN_TEST_PG_URL is not set: uploads must also run on PostgreSQL "
                                 "(scripts/test.sh starts a cluster and sets it)")
        cls.pg_server = server
        return fresh_pg_database(server, "cairn_uploads")

    @classmethod
    def drop_database(cls):
        drop_pg_database(cls.pg_server, cls.db_url)


if __name__ == "__main__":
    unittest.main()
