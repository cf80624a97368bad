"""Replies to citizens go by SMTP only to a server whose certificate checks out (issue 15, item 1).

A small SMTP server in a thread speaks STARTTLS with a self-signed certificate for 127.0.0.1, as
an attacker who redirected SMTP_HOST would: the reply must not reach it (nor the SMTP password)
unless SMTP_CA_FILE names that certificate.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.cases.models import OutboxMessage
from bot.cases.queue import mail
from bot.settings import Settings


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smtp.test")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp.pem", directory / "smtp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) to take one e-mail."""

    def handle(self) -> None:
        server: _SMTPServer = self.server  # type: ignore[assignment]
        connection: socket.socket = self.connection
        reader, writer = self.rfile, self.wfile

        def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            writer.flush()

        say("220 smtp.test ESMTP")
        data: list[bytes] | None = None
        while True:
            line = reader.readline()
            if not line:
                return
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    server.received.append(b"".join(data).decode())
                    data = None
                    say("250 queued")
                else:
                    data.append(line)
                continue
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                writer.write(b"250-smtp.test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n")
                writer.flush()
            elif command == "STARTTLS":
                say("220 go ahead")
                try:
                    connection = server.tls.wrap_socket(connection, server_side=True)
                except (ssl.SSLError, OSError):
                    return
                reader, writer = connection.makefile("rb"), connection.makefile("wb")
                server.tls_done = True
            elif command.startswith("AUTH"):
                server.logins.append(line.decode().strip())
                say("235 ok")
            elif command == "DATA":
                data = []
                say("354 end with .")
            elif command == "QUIT":
                say("221 bye")
                return
            else:
                say("250 ok")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.tls = tls
        self.received: list[str] = []
        self.logins: list[str] = []
        self.tls_done = False


@pytest.fixture()
def smtp_server(tmp_path: Path) -> Iterator[tuple[_SMTPServer, Path]]:
    cert, key = _self_signed(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server = _SMTPServer(tls)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, cert
    server.shutdown()
    server.server_close()


def _settings(port: int, ca_file: Path | None) -> Settings:
    return Settings(
        database_url="sqlite://",
        kommune_file=Path("kommune.yml"),
        max_message_chars=2000,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_user="servicekontor",
        smtp_password="hemmelig-passord",
        smtp_ca_file=str(ca_file) if ca_file else None,
    )


def _message() -> OutboxMessage:
    return OutboxMessage(to_address="kari@example.no", subject="Svar – sak SK-2026-00001", body="Hei Kari!")


def test_a_server_with_an_unknown_certificate_gets_neither_mail_nor_password(
    smtp_server: tuple[_SMTPServer, Path],
) -> None:
    server, _ = smtp_server
    with pytest.raises(ssl.SSLCertVerificationError):
        mail._send(_settings(server.server_address[1], None), _message())
    assert server.received == [] and server.logins == []


def test_the_ca_file_setting_lets_the_municipality_trust_its_own_server(
    smtp_server: tuple[_SMTPServer, Path],
) -> None:
    server, cert = smtp_server
    mail._send(_settings(server.server_address[1], cert), _message())
    assert server.tls_done
    [received] = server.received
    assert "To: kari@example.no" in received and "Hei Kari!" in received
    assert len(server.logins) == 1


def test_implicit_tls_on_port_465_verifies_too(monkeypatch: pytest.MonkeyPatch) -> None:
    contexts: list[ssl.SSLContext] = []

    class Refused(Exception):
        pass

    def smtp_ssl(host: str, port: int, *, timeout: float, context: ssl.SSLContext) -> None:
        contexts.append(context)
        raise Refused

    monkeypatch.setattr(mail.smtplib, "SMTP_SSL", smtp_ssl)
    with pytest.raises(Refused):
        mail._send(_settings(465, None), _message())
    [context] = contexts
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
