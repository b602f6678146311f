"""`cairn verify` and POST /api/v1/verify, driving the real binary. Credentials that must verify are
signed here (eddsa-jcs-2022 with a did:key, or with a key published by a local issuer), so the
tests need no network: Ed25519 is written out below from RFC 8032 §5.1 with the standard library,
because these tests take nothing from PyPI."""
import copy
import hashlib
import http.server
import json
import os
import struct
import sys
import tempfile
import threading
import unittest
import zlib

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import Cairn  # noqa: E402

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
STANDARDS = os.path.join(os.path.dirname(__file__), "..", "data", "standards", "ob-v3p0")
SIGNED_VECTOR = os.path.join(STANDARDS, "test-vectors", "eddsa-rdfc-2022", "signed-credential.json")
DID_KEY_FIXTURE = os.path.join(STANDARDS, "validator-fixtures", "simple-did-key-method.json")
UNSIGNED_BASE = os.path.join(STANDARDS, "validator-fixtures", "simple.json")
RECIPIENT = "ada@school.example.org"
CHECK_IDS = ["format", "structure", "proof", "issuer_key", "validity", "status", "recipient"]

# --- Ed25519 (RFC 8032 §5.1), signing only ---
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa, bb = (y1 - x1) * (y2 - x2) % P, (y1 + x1) * (y2 + x2) % P
    cc, dd = 2 * D * t1 * t2 % P, 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(k, point):
    result = (0, 1, 1, 0)
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


def _encode(point):
    x, y, z, _ = point
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _base_point():
    y = 4 * pow(5, P - 2, P) % P
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * pow(2, (P - 1) // 4, P) % P
    if x & 1:
        x = P - x
    return (x, y, 1, x * y % P)


BASE = _base_point()


class Ed25519Key:
    def __init__(self, seed):
        h = hashlib.sha512(seed).digest()
        self.scalar = (int.from_bytes(h[:32], "little") & ((1 << 254) - 8)) | (1 << 254)
        self.prefix = h[32:]
        self.public = _encode(_mul(self.scalar, BASE))

    def sign(self, message):
        r = int.from_bytes(hashlib.sha512(self.prefix + message).digest(), "little") % L
        big_r = _encode(_mul(r, BASE))
        k = int.from_bytes(hashlib.sha512(big_r + self.public + message).digest(), "little") % L
        return big_r + ((r + k * self.scalar) % L).to_bytes(32, "little")

    def multikey(self):
        return "z" + base58btc(b"\xed\x01" + self.public)

    def did(self):
        return "did:key:" + self.multikey()


def base58btc(data):
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, rem = divmod(n, 58)
        out = alphabet[rem] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def jcs(value):
    # RFC 8785 for documents of strings, integers, booleans, arrays and objects with ASCII keys.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign_jcs(credential, key, method):
    """Adds an eddsa-jcs-2022 proof (VC DI EdDSA §3.3)."""
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
             "created": "2024-05-01T12:00:00Z", "verificationMethod": method,
             "proofPurpose": "assertionMethod"}
    config = dict(proof, **{"@context": unsigned["@context"]})
    data = hashlib.sha256(jcs(config)).digest() + hashlib.sha256(jcs(unsigned)).digest()
    return dict(unsigned, proof=dict(proof, proofValue="z" + base58btc(key.sign(data))))


def unsigned_credential(issuer_id):
    with open(UNSIGNED_BASE) as f:
        credential = json.load(f)
    credential.pop("proof")
    credential["issuer"]["id"] = issuer_id
    salt = "pepper-1"
    credential["credentialSubject"]["identifier"] = [{
        "type": "IdentityObject", "identityType": "emailAddress", "hashed": True, "salt": salt,
        "identityHash": "sha256$" + hashlib.sha256((RECIPIENT + salt).encode()).hexdigest()}]
    return credential


def did_key_credential(key):
    return sign_jcs(unsigned_credential(key.did()), key, key.did() + "#" + key.multikey())


def baked_png(credential_text):
    """A 1x1 PNG carrying the credential in an iTXt chunk keyed openbadgecredential (OB 3.0 §5.3)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    itxt = b"openbadgecredential\0\0\0\0\0" + credential_text.encode()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"iTXt", itxt) +
            chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


def outcomes(report):
    return {c["id"]: c["outcome"] for c in report["checks"]}


def message(report, check_id):
    return next(c["message"] for c in report["checks"] if c["id"] == check_id)


class IssuerServer:
    """An issuer on 127.0.0.1 publishing its controller document, counting requests."""

    def __init__(self, key):
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                body = json.dumps(outer.document).encode() if self.path == "/issuers/1" else b""
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer_id = f"http://127.0.0.1:{self.httpd.server_address[1]}/issuers/1"
        self.method = self.issuer_id + "#" + key.multikey()
        self.document = {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": self.issuer_id,
            "verificationMethod": [{"id": self.method, "type": "Multikey",
                                    "controller": self.issuer_id,
                                    "publicKeyMultibase": key.multikey()}],
            "assertionMethod": [self.method]}
        self.credential = sign_jcs(unsigned_credential(self.issuer_id), key, self.method)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class VerifyCommand(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cairn = Cairn(BINARY)
        cls.dir = tempfile.mkdtemp(prefix="cairn-verify-")
        cls.key = Ed25519Key(b"cairn e2e verify key, 32 bytes!!")
        cls.good = did_key_credential(cls.key)
        cls.good_path = cls.write("good.json", json.dumps(cls.good))

    @classmethod
    def write(cls, name, text, mode="w"):
        path = os.path.join(cls.dir, name)
        with open(path, mode) as f:
            f.write(text)
        return path

    def verify(self, *args, stdin=None):
        return self.cairn.run("verify", *args, stdin=stdin)

    def test_a_did_key_credential_verifies_offline_and_exits_zero(self):
        result = self.verify(self.good_path)
        self.assertEqual(result.returncode, 0, result.stdout)
        report = json.loads(result.stdout)
        self.assertEqual(report["verdict"], "verified")
        self.assertIs(report["verified"], True)
        self.assertEqual([c["id"] for c in report["checks"]], CHECK_IDS)
        self.assertEqual(outcomes(report)["proof"], "passed")
        self.assertIn("eddsa-jcs-2022", message(report, "proof"))
        self.assertEqual(outcomes(report)["issuer_key"], "passed")
        self.assertEqual(outcomes(report)["recipient"], "skipped")
        # The command needs no database: it must not create the data directory.
        self.assertFalse(os.listdir(self.cairn.data_dir))

    def test_the_recipient_email_is_checked_against_the_hashed_identity(self):
        right = self.verify("--recipient-email", RECIPIENT, self.good_path)
        self.assertEqual(right.returncode, 0, right.stdout)
        self.assertEqual(outcomes(json.loads(right.stdout))["recipient"], "passed")
        wrong = self.verify("--recipient-email", "someone.else@example.org", self.good_path)
        self.assertEqual(wrong.returncode, 1)
        report = json.loads(wrong.stdout)
        self.assertEqual(outcomes(report)["recipient"], "failed")
        self.assertEqual(report["verdict"], "failed")

    def test_stdin_is_read_when_no_file_or_a_dash_is_given(self):
        for args in ((), ("-",)):
            result = self.verify(*args, stdin=json.dumps(self.good))
            self.assertEqual(result.returncode, 0, result.stdout)
            self.assertEqual(json.loads(result.stdout)["verdict"], "verified")

    def test_a_tampered_copy_fails_its_proof(self):
        tampered = copy.deepcopy(self.good)
        tampered["credentialSubject"]["achievement"]["name"] = "Leadership"
        result = self.verify(self.write("tampered.json", json.dumps(tampered)))
        self.assertEqual(result.returncode, 1)
        report = json.loads(result.stdout)
        self.assertEqual(report["verdict"], "failed")
        self.assertEqual(outcomes(report)["proof"], "failed")
        self.assertEqual(outcomes(report)["structure"], "passed")

    def test_the_1edtech_vector_fails_when_its_issuer_cannot_be_reached(self):
        # Its key lives at https://example.edu/issuers/565049, which does not resolve here (and
        # could not publish that key anyway): the key is unresolved, so nothing proves the proof.
        result = self.verify(SIGNED_VECTOR)
        self.assertEqual(result.returncode, 1)
        report = json.loads(result.stdout)
        self.assertEqual(report["verdict"], "failed")
        self.assertEqual(outcomes(report), {
            "format": "passed", "structure": "passed", "proof": "failed", "issuer_key": "failed",
            "validity": "passed", "status": "skipped", "recipient": "skipped"})
        self.assertIn("could not fetch https://example.edu/issuers/565049", message(report, "issuer_key"))

    def test_the_1edtech_did_key_fixture_has_a_good_proof_from_a_key_its_issuer_does_not_own(self):
        result = self.verify(DID_KEY_FIXTURE)
        self.assertEqual(result.returncode, 1)
        report = json.loads(result.stdout)
        self.assertEqual(outcomes(report)["proof"], "passed")
        self.assertEqual(outcomes(report)["issuer_key"], "failed")
        self.assertIn("not by the issuer urn:uuid:6f2e33e5", message(report, "issuer_key"))

    def test_several_files_give_an_array_and_fail_if_any_fails(self):
        result = self.verify(self.good_path, DID_KEY_FIXTURE)
        self.assertEqual(result.returncode, 1)
        reports = json.loads(result.stdout)
        self.assertEqual([r["file"] for r in reports], [self.good_path, DID_KEY_FIXTURE])
        self.assertEqual([r["report"]["verdict"] for r in reports], ["verified", "failed"])
        both_good = self.verify(self.good_path, self.good_path)
        self.assertEqual(both_good.returncode, 0)
        self.assertEqual(len(json.loads(both_good.stdout)), 2)

    def test_a_baked_png_verifies(self):
        path = self.write("badge.png", baked_png(json.dumps(self.good)), "wb")
        result = self.verify(path)
        self.assertEqual(result.returncode, 0, result.stdout)
        report = json.loads(result.stdout)
        self.assertEqual(report["verdict"], "verified")
        self.assertIn("PNG", message(report, "format"))

    def test_input_that_is_no_credential_fails_the_format_check(self):
        for text in ("", "this is not a credential", "{\"@context\": "):
            result = self.verify(stdin=text)
            self.assertEqual(result.returncode, 1, text)
            report = json.loads(result.stdout)
            self.assertEqual(outcomes(report)["format"], "failed", text)
            self.assertEqual(report["verdict"], "failed")

    def test_an_unreadable_file_is_a_usage_error_naming_it(self):
        missing = os.path.join(self.dir, "nope.json")
        result = self.cairn.run("verify", self.good_path, missing)
        self.assertEqual(result.returncode, 2)
        self.assertIn(missing, result.stderr)
        self.assertIn("No such file", result.stderr)
        self.assertEqual(result.stdout, "")
        directory = self.cairn.run("verify", self.dir)
        self.assertEqual(directory.returncode, 2)
        self.assertIn("directory", directory.stderr)
        unknown = self.cairn.run("verify", "--no-such-option")
        self.assertEqual(unknown.returncode, 2)

    def test_a_key_on_a_loopback_issuer_is_refused_unless_allowed(self):
        issuer = IssuerServer(self.key)
        try:
            path = self.write("loopback.json", json.dumps(issuer.credential))
            refused = self.cairn.run("verify", path)
            self.assertEqual(refused.returncode, 1)
            report = json.loads(refused.stdout)
            self.assertEqual(outcomes(report)["issuer_key"], "failed")
            self.assertIn("refused to connect to non-public address 127.0.0.1",
                          message(report, "issuer_key"))
            self.assertEqual(issuer.requests, [])
            allowed = Cairn(BINARY, {"CAIRN_FETCH_ALLOW_PRIVATE": "true"}).run("verify", path)
            self.assertEqual(allowed.returncode, 0, allowed.stdout)
            self.assertEqual(json.loads(allowed.stdout)["verdict"], "verified")
            self.assertEqual(issuer.requests, ["/issuers/1"])
        finally:
            issuer.close()


class VerifyEndpoint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.key = Ed25519Key(b"cairn e2e verify key, 32 bytes!!")
        cls.good = did_key_credential(cls.key)
        cls.cairn = Cairn(BINARY).start()

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()

    def post(self, raw, content_type, server=None, query=""):
        return (server or self.cairn).request("POST", "/api/v1/verify" + query, raw=raw,
                                              headers={"Content-Type": content_type})

    def test_a_json_credential_gets_its_report(self):
        status, report, _ = self.post(json.dumps(self.good).encode(), "application/json")
        self.assertEqual(status, 200, report)
        self.assertEqual(report["verdict"], "verified")
        self.assertIs(report["verified"], True)
        self.assertEqual([c["id"] for c in report["checks"]], CHECK_IDS)

    def test_a_failed_verification_is_still_a_200_report(self):
        tampered = copy.deepcopy(self.good)
        tampered["name"] = "Forged Badge"
        status, report, _ = self.post(json.dumps(tampered).encode(), "application/json; charset=utf-8")
        self.assertEqual(status, 200)
        self.assertEqual(report["verdict"], "failed")
        self.assertEqual(outcomes(report)["proof"], "failed")

    def test_the_recipient_email_comes_as_a_query_parameter(self):
        body = json.dumps(self.good).encode()
        status, report, _ = self.post(body, "application/json", query="?recipient_email=" + RECIPIENT)
        self.assertEqual((status, outcomes(report)["recipient"]), (200, "passed"))
        status, report, _ = self.post(body, "application/json", query="?recipient_email=x%40example.org")
        self.assertEqual((status, outcomes(report)["recipient"], report["verdict"]), (200, "failed", "failed"))

    def test_a_baked_png_is_read(self):
        status, report, _ = self.post(baked_png(json.dumps(self.good)), "image/png")
        self.assertEqual(status, 200, report)
        self.assertEqual(report["verdict"], "verified")
        self.assertIn("PNG", message(report, "format"))

    def test_malformed_bodies_are_reports_with_a_failed_format_check(self):
        for raw, ctype in ((b"{not json", "application/json"), (b"\x89PNG garbage", "image/png"),
                           (b"<svg", "image/svg+xml"), (b"a.b", "text/plain")):
            status, report, _ = self.post(raw, ctype)
            self.assertEqual(status, 200, (raw, report))
            self.assertEqual(outcomes(report)["format"], "failed", raw)
            self.assertEqual(report["verdict"], "failed")

    def test_an_empty_object_fails_the_structure_check(self):
        # What the authorisation walk sends.
        status, report, _ = self.post(b"{}", "application/json")
        self.assertEqual(status, 200)
        self.assertEqual(report["verdict"], "failed")
        self.assertEqual(outcomes(report)["format"], "passed")
        self.assertEqual(outcomes(report)["structure"], "failed")
        self.assertIn("@context is required", message(report, "structure"))
        self.assertEqual(outcomes(report)["proof"], "failed")

    def test_a_body_over_4_mib_is_413(self):
        status, problem, _ = self.post(b"x" * (5 << 20), "text/plain")
        self.assertEqual(status, 413)
        self.assertEqual(problem["status"], 413)
        self.assertIn(str(4 << 20), problem["detail"])

    def test_an_unsupported_type_is_415(self):
        status, problem, _ = self.post(b"<html></html>", "text/html")
        self.assertEqual(status, 415)
        self.assertIn("text/html", problem["detail"])
        self.assertIn("image/png", problem["detail"])

    def test_the_route_is_documented(self):
        status, doc, _ = self.cairn.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        post = doc["paths"]["/api/v1/verify"]["post"]
        self.assertEqual(set(post["responses"]), {"200", "413", "415"})
        self.assertIn("image/png", post["requestBody"]["content"])
        self.assertIn("VerificationReport", doc["components"]["schemas"])

    def test_a_loopback_issuer_is_refused_unless_the_server_allows_private_addresses(self):
        issuer = IssuerServer(self.key)
        allowing = Cairn(BINARY, {"CAIRN_FETCH_ALLOW_PRIVATE": "true"}).start()
        try:
            body = json.dumps(issuer.credential).encode()
            status, report, _ = self.post(body, "application/json")
            self.assertEqual(status, 200)
            self.assertEqual(report["verdict"], "failed")
            self.assertIn("non-public address 127.0.0.1", message(report, "issuer_key"))
            self.assertEqual(issuer.requests, [])
            status, report, _ = self.post(body, "application/json", server=allowing)
            self.assertEqual((status, report["verdict"]), (200, "verified"), report)
            self.assertEqual(issuer.requests, ["/issuers/1"])
        finally:
            allowing.stop()
            issuer.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
