"""A real, throw-away Dovecot IMAP server (Debian's dovecot-imapd) on 127.0.0.1, a free port."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tests.ports import free_port

DOVECOT = "/usr/sbin/dovecot"
USERS = 12  # one mailbox per test, on one server
PASSWORD = "correct horse"


@dataclass
class Imap:
    host: str
    port: int
    users: list[str]
    password: str
    root: str
    tls_port: int = 0  # implicit TLS (IMAPS); the plain port then offers STARTTLS
    cert: str = ""  # the self-signed certificate a client must trust


def dovecot_available() -> bool:
    return os.path.exists(DOVECOT)


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _self_signed(root: str) -> tuple[str, str]:
    cert, key = os.path.join(root, "cert.pem"), os.path.join(root, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def dovecot_server(tls: bool = False) -> Iterator[Imap]:
    """Start Dovecot with its users and empty Maildirs (with a self-signed certificate for
    IMAPS and STARTTLS when `tls`); stop it and remove everything after."""
    root = tempfile.mkdtemp(prefix="mentormap-imap-")
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        owner = pwd.getpwnam("dovecot")
        internal, login = "dovecot", "dovenull"
    else:  # an unprivileged user runs every part of Dovecot as herself
        owner = pwd.getpwuid(os.geteuid())
        internal = login = owner.pw_name
    mail = os.path.join(root, "mail")
    users = [f"sofia{n}" for n in range(USERS)]
    os.makedirs(mail)
    os.chown(mail, owner.pw_uid, owner.pw_gid)
    with open(os.path.join(root, "passwd"), "w") as handle:
        for user in users:
            os.makedirs(os.path.join(mail, user))
            os.chown(os.path.join(mail, user), owner.pw_uid, owner.pw_gid)
            handle.write(
                f"{user}:{{PLAIN}}{PASSWORD}:{owner.pw_uid}:{owner.pw_gid}::{mail}/{user}\n"
            )
    port = free_port()
    tls_port, cert, ssl = 0, "", "ssl = no"
    if tls:
        tls_port = free_port()
        cert, key = _self_signed(root)
        ssl = f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}"
    config = os.path.join(root, "dovecot.conf")
    with open(config, "w") as handle:
        handle.write(
            CONFIG.format(
                root=root, port=port, tls_port=tls_port, internal=internal, login=login, ssl=ssl
            )
        )
    # Dovecot forks into the background: its output goes to a file, not a pipe that the
    # daemon would keep open.
    with open(os.path.join(root, "start.log"), "wb") as out:
        subprocess.run([DOVECOT, "-c", config], check=True, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                with open(os.path.join(root, "dovecot.log")) as handle:
                    log = handle.read()
                raise RuntimeError(f"Dovecot did not start: {log[-2000:]}")
            time.sleep(0.05)
        yield Imap("127.0.0.1", port, users, PASSWORD, root, tls_port, cert)
    finally:
        subprocess.run(
            [DOVECOT, "-c", config, "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)
