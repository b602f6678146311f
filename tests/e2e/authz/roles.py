"""Who is who in the authorisation walk, and shorthands for the expectation rows."""
ROLES = {
    "educator": "priya.natarajan@riverbend.example.org",         # a Riverbend school's teacher
    "educator_other_district": "dana.brooks@lakeview.example.org",
    "reviewer": "helen.okafor@lakeview.example.org",
    "issuer_admin_other_org": "maria.alvarez@tpc.example.org",   # admin of another issuer
    "district_admin": "james.whitfield@riverbend.example.org",   # Riverbend's district + issuer admin
    "platform_admin": "admin@cairn.example.org",
}
ALL = ["anonymous", *ROLES]
OK = "ok"


def everyone(outcome=OK):
    return {r: outcome for r in ALL}


def signed_in(anonymous=401, **overrides):
    table = {r: OK for r in ROLES} | {"anonymous": anonymous}
    table.update(overrides)
    return table


def only(*allowed):
    return {"anonymous": 401} | {r: (OK if r in allowed else 403) for r in ROLES}
