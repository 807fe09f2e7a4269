#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 for the notify suite (Debian's python3-aiosmtpd).

  smtp_server.py DIR PORT MODE CERT KEY

MODE starttls: plain SMTP that offers STARTTLS and requires it before AUTH (PLAIN and
LOGIN, user "mailer", password "mail-secret"); MODE implicit: TLS from the first byte, the
same AUTH. Every accepted mail is written to DIR/mail-N.eml (the envelope in
DIR/mail-N.env as "from\nrcpt1\nrcpt2..."). DIR/ready is created once it listens. Runs
until SIGTERM.
"""
import asyncio
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = b"mailer"
PASSWORD = b"mail-secret"


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, f"mail-{self.count}")
        with open(base + ".env.tmp", "w") as f:
            f.write("\n".join([envelope.mail_from] + list(envelope.rcpt_tos)) + "\n")
            f.write(f"auth={session.authenticated}\n")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".env.tmp", base + ".env")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER and auth_data.password == PASSWORD
    return AuthResult(success=ok)


def main():
    directory, port, mode, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    kwargs = dict(
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
    )
    if mode == "starttls":
        controller = Controller(Handler(directory), tls_context=context, require_starttls=True,
                                auth_require_tls=True, **kwargs)
    else:
        controller = Controller(Handler(directory), server_kwargs={"tls_context": None},
                                ssl_context=context, auth_require_tls=False, **kwargs)
    controller.start()
    open(os.path.join(directory, "ready"), "w").close()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
