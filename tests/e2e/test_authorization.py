"""Walks every route of the router (from `cairn routes`) with every role, a member of another
organisation, and no session, and compares who gets in with the expectation table below. A route
missing from the table fails, so a new route cannot ship without a decision about who may call it.

Outcomes: "ok" means the request got past authorisation (any status but 401/403: 2xx, or a
404/409/422 about the request itself); 401 and 403 mean it was refused."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cairn_process import Browser, Cairn, without_rendered  # noqa: E402

BINARY = os.environ.get("CAIRN_BINARY", "build/cairn")
PASSWORD = "cairn-demo"
from authz import BODIES, EXPECTED, PATH_FILLERS  # noqa: E402
from authz.roles import ALL, OK, ROLES  # noqa: E402


class Authorization(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A web app to serve, so the walk always includes the static-files route.
        web = tempfile.mkdtemp(prefix="cairn-authz-web-")
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><title>Cairn</title>")
        cls.cairn = Cairn(BINARY, extra_env={"CAIRN_WEB_DIR": web})
        assert cls.cairn.run("seed-demo").returncode == 0
        listed = cls.cairn.run("routes")
        assert listed.returncode == 0, listed.stderr
        cls.routes = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
        cls.cairn.start()

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()

    def test_every_route_is_in_the_expectation_table(self):
        in_router = {f"{r['method']} {r['pattern']}" for r in self.routes}
        self.assertEqual(sorted(in_router - EXPECTED.keys()), [], "routes with no authorisation decision")
        self.assertEqual(sorted(EXPECTED.keys() - in_router), [], "table rows for routes that no longer exist")

    def test_every_route_with_every_role(self):
        admin = Browser(self.cairn)
        admin.sign_in(ROLES["district_admin"], PASSWORD)
        _, me, _ = admin.request("GET", "/api/v1/me")
        district = next(m["organization_id"] for m in me["memberships"] if m["role"] == "district_admin")
        _, page, _ = self.cairn.request("GET", f"/api/v1/micro-credentials?issuer={district}")
        mc = page["items"][0]["id"]
        _, full, _ = self.cairn.request("GET", f"/api/v1/micro-credentials/{mc}")
        content = without_rendered({k: v for k, v in full.items() if k not in (
            "id", "version", "state", "revision", "issuer_id", "issuer_name", "created_at",
            "updated_at", "published_at", "retired_at")})
        # Bodies that would succeed, so a refusal cannot hide behind a validation error.
        bodies = BODIES | {
            "POST /api/v1/micro-credentials": content | {"issuer_id": district},
            "PUT /api/v1/micro-credentials/{id}/draft": content | {"revision": 1},
        }
        context = {"district": district, "micro_credential": mc, "admin": admin}
        params = {"{id}": mc, "{version}": "1"}
        clients = {"anonymous": Browser(self.cairn)}
        for role, email in ROLES.items():
            clients[role] = Browser(self.cairn)
            status, body = clients[role].sign_in(email, PASSWORD)
            self.assertEqual(status, 200, f"{role} cannot sign in: {body}")

        mismatches = []
        # Retire last: it takes the micro-credential out of the catalog for the rows after it.
        ordered = sorted(self.routes, key=lambda r: r["pattern"].endswith("/retire"))
        for route in ordered:
            key = f"{route['method']} {route['pattern']}"
            path = route["pattern"]
            for fill in PATH_FILLERS:
                path = fill(path, context) or path
            for name, value in params.items():
                if "/organizations/" in path or "/issuers/" in path:
                    value = district if name == "{id}" else value
                if "/me/tokens/" in path:
                    value = "tok_doesnotexist0000000000"
                path = path.replace(name, value)
            for role in ALL:
                client = clients[role]
                body_in = None if route["method"] in ("GET", "HEAD", "DELETE") else bodies.get(key, {})
                status, body, _ = client.request(route["method"], path, body_in)
                got = status if status in (401, 403) else OK
                if got != EXPECTED[key][role]:
                    mismatches.append(f"{key} as {role}: expected {EXPECTED[key][role]}, got {status} {body}")
                if key == "POST /api/v1/auth/signout" and role != "anonymous":
                    client.sign_in(ROLES[role], PASSWORD)
        self.assertEqual(mismatches, [], "\n".join(mismatches))


if __name__ == "__main__":
    unittest.main(verbosity=2)
