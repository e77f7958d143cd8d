#!/usr/bin/python3
"""The demo's local SMTP server (Debian's python3-aiosmtpd): prints each mail it receives,
decoded, so the person trying Minyi sees the verification and reset links in the terminal,
and keeps it in a Maildir. Usage: mail-sink.py PORT MAILDIR"""
import email
import email.policy
import mailbox
import sys
import time

from aiosmtpd.controller import Controller


class Show:
    def __init__(self, maildir):
        self.box = mailbox.Maildir(maildir, create=True)

    async def handle_DATA(self, server, session, envelope):
        self.box.add(envelope.original_content)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body else ""
        print(f"\n==== mail to {', '.join(envelope.rcpt_tos)}: {message['subject']}\n{text}", flush=True)
        return "250 OK"


if __name__ == "__main__":
    port, maildir = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Show(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mail sink on smtp://127.0.0.1:{port}, keeping mails in {maildir}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()
