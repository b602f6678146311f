"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, a free port, every message saved as JSON.

Prints the port on the first line of stdout once it accepts connections. Each message becomes
<dir>/<seq>.json (written to a temporary name, then renamed, so readers never see half a file)
with the envelope, the headers decoded by Python's email package, the text and HTML bodies, the
parser's defect list and the raw message. Run with Debian's /usr/bin/python3 (python3-aiosmtpd).
"""
import argparse
import asyncio
import json
import os

from email import message_from_bytes, policy

from aiosmtpd.smtp import SMTP, AuthResult


class Saver:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        msg = message_from_bytes(raw, policy=policy.default)
        record = {
            "envelope_from": envelope.mail_from,
            "envelope_to": list(envelope.rcpt_tos),
            "authenticated_as": session.auth_data if isinstance(session.auth_data, str) else None,
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "content_type": msg.get_content_type(),
            "text": "",
            "html": "",
            "defects": [type(d).__name__ for d in msg.defects],
            "raw": raw.decode("utf-8", "replace"),
        }
        for part in msg.walk():
            record["defects"] += [type(d).__name__ for d in part.defects]
            if part.is_multipart():
                continue
            if part.get_content_type() == "text/plain" and not record["text"]:
                record["text"] = part.get_content()
            elif part.get_content_type() == "text/html" and not record["html"]:
                record["html"] = part.get_content()
        path = os.path.join(self.directory, "%06d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        if not ok:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=auth_data.login.decode())
    return authenticate


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth", help="user:password to require AUTH (without TLS, for tests)")
    args = parser.parse_args()
    saver = Saver(args.dir)
    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)
        kwargs = dict(authenticator=make_authenticator(user, password), auth_required=True,
                      auth_require_tls=False)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(saver, **kwargs), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
