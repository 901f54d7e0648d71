"""`dear serve`: migrate, then serve Dear with granian's WSGI server."""

from __future__ import annotations

import codecs
import errno
import functools
import ipaddress
import os
import socket
import threading
import time
from typing import Annotated

import typer

from dear.cli import lan, worker
from dear.cli.app import CommandFailed, err, out
from dear.cli.django_setup import refuse_unusable_settings, setup_django

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
READY_WAIT_SECONDS = 60
# Read by the settings of every web worker as LAN_URL (dear/settings.py).
LAN_URL_ENV = "DEAR_SERVE_LAN_URL"


STOP_SECONDS = 5


def serve(
    host: Annotated[
        str, typer.Option(help="IP address to listen on; 0.0.0.0 for every network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8000,
    # Measured on 2 cores (bench/README.md): one process per core, one request thread
    # each. Python's lock lets one thread of a process run at a time, so more threads
    # only queue; and fewer concurrent SQLite writers wait less on its lock.
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
    threads: Annotated[int, typer.Option(min=1, help="Request threads per worker.")] = 1,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker",
            help="Start no background worker here: `dear worker` runs elsewhere.",
        ),
    ] = False,
) -> None:
    """Make the data dir, apply migrations and serve Dear until stopped (Ctrl-C or SIGTERM).

    Beside the web server runs one background worker (`dear worker`), which sends due
    emails, pushes and reminders; it stops when the server stops, and if it dies it is started
    again (after 1 s, then twice as long each time, up to a minute).
    """
    address = _parse_address(host)
    _check_port_free(address, port)
    _default_public_url(address, port)
    phone_hint = _phone_hint(address, port)

    data = setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    if settings.DEBUG:
        err.print("[bold red]DEAR_DEBUG is on: error pages show code and settings.[/]")
    refuse_unusable_settings()
    out.print(f"Data in {data}; database: {_describe_database(settings.DATABASES['default'])}")
    call_command("migrate", interactive=False, verbosity=0)
    # Workers are forked from this process: they must not share its database connections.
    connections.close_all()

    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    server = Granian(
        "dear.wsgi:application",
        address=str(address),
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        # Each request thread can hold a database connection of its own.
        blocking_threads=threads,
        # A Ctrl-C at the terminal reaches the web workers and their parent together, and
        # now and then a worker caught between the two never finishes stopping (granian
        # 2.8, on a bare WSGI app too): the parent gives it this long, then ends it.
        workers_kill_timeout=STOP_SECONDS,
        log_level=LogLevels.warning,
    )
    server.on_startup(lambda: _announce_when_listening(address, port, phone_hint))
    background = None if no_worker else worker.start_beside_server()
    try:
        server.serve()  # returns after SIGINT or SIGTERM, once the workers have finished
    finally:
        if background is not None:
            background.stop()
    out.print("Dear has stopped.")


def _parse_address(host: str) -> IPAddress:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        raise CommandFailed(
            f"--host must be an IP address such as 127.0.0.1 or 0.0.0.0; got {host!r}", 2
        ) from None


def _default_public_url(address: IPAddress, port: int) -> None:
    """Listening beyond this computer, the address the network reaches us on is the one
    invites, labels and emails should name, unless DEAR_PUBLIC_URL already says."""
    if os.environ.get("DEAR_PUBLIC_URL", "").strip():
        return
    url = lan.lan_url(address, port)
    if url is not None:
        # Read by the settings of this process and of every worker started from it.
        os.environ["DEAR_PUBLIC_URL"] = url.rstrip("/")


def _phone_hint(address: IPAddress, port: int) -> str | None:
    """Listening on this computer alone: the line telling how phones reach Dear. The
    address they would open goes to the web workers too, and the pages that make invites
    and labels name it when they say a phone cannot reach the address they were opened at."""
    from dear.lib.links import only_this_computer

    os.environ.pop(LAN_URL_ENV, None)
    if not address.is_loopback:
        return None
    would_be = lan.would_be_url(address, port)
    if would_be is not None:
        os.environ[LAN_URL_ENV] = would_be
    public = os.environ.get("DEAR_PUBLIC_URL", "").strip()
    if public and not only_this_computer(public):
        # Links name that address, which phones reach: through a proxy in front, say.
        return None
    return lan.phone_hint(would_be)


def _check_port_free(address: IPAddress, port: int) -> None:
    # granian binds with SO_REUSEPORT, so a second server on a busy port would quietly
    # share it with the first; a plain bind fails instead.
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # Connections a stopped server closed linger in TIME_WAIT; they must not keep a
        # restart off its own port. A live listener still makes the bind fail.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((str(address), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandFailed(f"port {port} on {address} is already in use") from None
            raise CommandFailed(f"cannot listen on {address} port {port}: {exc.strerror}") from None


def _describe_database(db: dict) -> str:
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite at {db['NAME']}"
    host = db.get("HOST") or "localhost"
    return f"PostgreSQL, database {db.get('NAME')} on {host}:{db.get('PORT') or 5432}"


def local_url(address: IPAddress, port: int) -> str:
    if address.is_unspecified:
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
    host = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{host}:{port}/"


def _announce_when_listening(address: IPAddress, port: int, phone_hint: str | None) -> None:
    """Print the URL once a worker accepts connections: granian binds in the workers."""
    announce_lan = functools.partial(lan.announce, address, port)
    if address.is_unspecified:
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
    url = local_url(address, port)
    # granian forks its workers while the thread below polls. A module that thread is
    # importing at that instant stays locked for good in the forked worker (Python does
    # not reset module locks after a fork), which then hangs the first time it needs
    # it: the "idna" codec, the first import a connection by host name makes, hung any
    # worker that next opened one (the SMTP connection of a confirmation link, say). So
    # the codec is loaded here, before the thread and the forks, and the thread imports
    # nothing while it waits.
    codecs.lookup("idna")

    def wait() -> None:
        deadline = time.monotonic() + READY_WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                socket.create_connection((str(address), port), timeout=1).close()
            except OSError:
                time.sleep(0.05)
                continue
            out.print(f"[bold]Dear is ready at {url}[/]")
            announce_lan()
            if phone_hint is not None:
                out.print(phone_hint, markup=False)
            return
        err.print(f"[red]Nothing answers on port {port} after {READY_WAIT_SECONDS}s.[/]")

    threading.Thread(target=wait, name="dear-ready", daemon=True).start()
