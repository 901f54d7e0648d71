"""A real Caddy (Debian's `caddy`) in front of a real `dear serve`, run from the README's
"Behind Caddy" Caddyfile, so the configuration people copy is the one the tests prove.

Use it from a conftest.py or test module::

    from tests.caddy import caddy_factory  # noqa: F401

    def test_something(dear_server_factory, caddy_factory):
        caddy = caddy_factory(dear_server_factory(env=caddy_env()))
        caddy.client().get(caddy.url("/login"))

Two changes to the README's file, both because a test has no public domain: the site is
``dear.test`` (a name reserved for testing, which nothing resolves unless told to), and
its certificate comes from Caddy's own local authority (``tls internal``) instead of
Let's Encrypt. Each Caddy has its own free ports and its own data dir, where that
authority's root certificate is written.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.server import READY_TIMEOUT, DearServer, free_port, stop_process

README = Path(__file__).resolve().parents[1] / "README.md"
NAME = "dear.test"
# As the README's Caddyfile has them, to be swapped for the test's own.
README_NAME = "dear.example.net"
README_UPSTREAM = "127.0.0.1:8000"


def caddy_env(**more: str) -> dict[str, str]:
    """`dear serve`'s settings behind this Caddy, as the README gives them."""
    return {
        "DEAR_HTTPS": "on",
        "DEAR_ALLOWED_HOSTS": NAME,
        "DEAR_TRUSTED_PROXIES": "127.0.0.1",
        **more,
    }


def readme_caddyfile() -> str:
    """The Caddyfile under the README's "### Behind Caddy"."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^### Behind Caddy\n(.*?)(?=^##)", text, re.S | re.M)
    assert section, "README.md has no '### Behind Caddy' section"
    block = re.search(r"```caddyfile\n(.*?)```", section.group(1), re.S)
    assert block, "the README's 'Behind Caddy' has no caddyfile block"
    return block.group(1)


def caddyfile(dear_port: int, http_port: int, https_port: int) -> str:
    site = readme_caddyfile()
    assert f"{README_NAME} {{\n" in site and README_UPSTREAM in site, site
    site = site.replace(f"{README_NAME} {{\n", f"{NAME} {{\n\ttls internal\n", 1)
    site = site.replace(README_UPSTREAM, f"127.0.0.1:{dear_port}")
    # No admin endpoint and nothing added to the system's trust store: several of these
    # run at once on a machine that is not theirs.
    return (
        "{\n"
        "\tadmin off\n"
        "\tskip_install_trust\n"
        f"\thttp_port {http_port}\n"
        f"\thttps_port {https_port}\n"
        "}\n\n" + site
    )


def spki_sha256(cert: x509.Certificate) -> str:
    """The base64 SHA-256 of a certificate's public key, as Chromium's
    --ignore-certificate-errors-spki-list takes it."""
    der = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@dataclass
class Caddy:
    process: subprocess.Popen
    http_port: int
    https_port: int
    home: Path
    log_path: Path
    name: str = NAME

    @property
    def base_url(self) -> str:
        return f"https://{self.name}:{self.https_port}"

    def url(self, path: str = "/") -> str:
        """The address a browser that resolves ``dear.test`` to loopback would use."""
        return self.base_url + path

    @property
    def root_cert(self) -> Path:
        """Caddy's local certificate authority, which signed the site's certificate."""
        return self.home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    @property
    def intermediate_cert(self) -> Path:
        """The authority's intermediate, which signs the site's certificate and which
        Caddy sends with it (the root it never sends: a client must hold that already)."""
        return self.root_cert.with_name("intermediate.crt")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def client(self, local_address: str | None = None, **kw) -> httpx.Client:
        """An HTTPS client for the site, trusting only Caddy's authority, that reaches
        ``dear.test`` on loopback (from ``local_address`` when given)."""
        trust = ssl.create_default_context(cafile=str(self.root_cert))
        inner = httpx.HTTPTransport(verify=trust, local_address=local_address)
        return httpx.Client(transport=ToLoopback(inner, self.name), timeout=10, **kw)

    def wait_until_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Until the site answers over HTTPS with a certificate from Caddy's authority."""
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"caddy exited with {self.process.returncode}:\n{self.log()}")
            if self.root_cert.exists():
                try:
                    with self.client() as client:
                        client.get(self.url("/api/v1/healthz"))
                    return
                except (httpx.TransportError, OSError) as error:
                    last = error
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"caddy did not answer within {timeout}s ({last}):\n{self.log()}")

    def stop(self) -> None:
        stop_process(self.process)


class ToLoopback(httpx.BaseTransport):
    """Connects to 127.0.0.1 for ``name``, as a resolver told so would: the name stays
    in the Host header, in TLS (SNI and the certificate check) and in the cookie jar."""

    def __init__(self, inner: httpx.HTTPTransport, name: str):
        self.inner, self.name = inner, name

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == self.name:
            request = httpx.Request(
                request.method,
                request.url.copy_with(host="127.0.0.1"),
                headers=request.headers,  # Host: dear.test:port, set from the URL
                stream=request.stream,
                extensions={**request.extensions, "sni_hostname": self.name},
            )
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


StartCaddy = Callable[[DearServer], Caddy]


@pytest.fixture
def caddy_factory(tmp_path_factory) -> Iterator[StartCaddy]:
    """Start Caddy in front of a started `dear serve` (give it ``caddy_env()``); every
    Caddy is stopped at teardown."""
    caddy_bin = shutil.which("caddy")
    if caddy_bin is None:
        pytest.fail("these tests need Caddy (apt-get install caddy); .ci/run installs it")
    started: list[Caddy] = []

    def start(server: DearServer) -> Caddy:
        home = tmp_path_factory.mktemp("caddy")
        http_port, https_port = free_port(), free_port()
        config = home / "Caddyfile"
        config.write_text(caddyfile(server.port, http_port, https_port), encoding="utf-8")
        env = {
            **os.environ,
            # Its certificates, its authority and its autosaved config stay in here.
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
        }
        log_path = home / "caddy.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [caddy_bin, "run", "--config", str(config), "--adapter", "caddyfile"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        caddy = Caddy(process, http_port, https_port, home, log_path)
        started.append(caddy)
        caddy.wait_until_ready()
        return caddy

    yield start

    for caddy in started:
        caddy.stop()
