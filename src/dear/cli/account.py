"""`dear login`, `dear logout` and `dear whoami`: who the terminal acts as, on which server."""

from __future__ import annotations

import socket
import sys
from typing import Annotated

import typer

from dear.cli import login_store
from dear.cli.app import CommandFailed, err, out
from dear.cli.remote import Server, TokenOption, UrlOption, check_url, post_anonymous
from dear.cli.show import JsonOption, as_json


def login(
    url: Annotated[str, typer.Argument(help="The Dear server, e.g. http://192.168.1.20:8000.")],
    username: Annotated[
        str, typer.Option("--username", "-u", help="Your username (asked when not given).")
    ] = "",
    token_stdin: Annotated[
        bool,
        typer.Option(
            "--token-stdin", help="Read an existing API token from stdin instead of logging in."
        ),
    ] = False,
) -> None:
    """Log in to a Dear server and keep the token for the other commands.

    Asks for your username and password (the password is not shown as you type; without
    a terminal, it is read as one line of stdin). The token is kept in your config dir,
    readable by you only. With --token-stdin, a token made elsewhere is checked and kept."""
    url = check_url(url.strip().rstrip("/"))
    if token_stdin:
        token = sys.stdin.readline().strip()
        if not token:
            raise CommandFailed("--token-stdin: stdin held no token", 2)
    else:
        username = username.strip() or typer.prompt("Username").strip()
        password = _password()
        name = f"dear command on {socket.gethostname()}"[:80]
        token = post_anonymous(
            url, "/tokens", {"username": username, "password": password, "name": name}
        )["token"]
    me = Server(url, token).get_json("/me")
    path = login_store.save(login_store.Login(url, token))
    out.print(f"Logged in to {url} as {me['display_name']} ({me['username']}).")
    err.print(f"The token is kept in {path}.", style="dim")


def _password() -> str:
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True)
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandFailed("no password: type it at the prompt, or give it as a line of stdin")
    return password


def logout() -> None:
    """Revoke the kept token on its server and forget it here."""
    kept = login_store.load()
    if kept is None:
        out.print("You were not logged in.")
        return
    try:
        Server(kept.url, kept.token).call("DELETE", "/tokens/current")
    except CommandFailed as exc:
        # Forget it anyway: a login you asked to end must not stay on this computer.
        login_store.forget()
        err.print(f"Forgot the login here, but the server did not revoke it: {exc.message}")
        return
    login_store.forget()
    out.print(f"Logged out of {kept.url}.")


def whoami(json: JsonOption = False, url: UrlOption = "", token: TokenOption = "") -> None:
    """Who you are logged in as, on which server, and your homes."""
    server = Server.of(url, token)
    me = server.get_json("/me")
    if json:
        as_json({**me, "url": server.url})
        return
    homes = ", ".join(home["name"] for home in me["homes"]) or "none yet"
    out.print(f"{me['display_name']} ({me['username']}) at {server.url}; homes: {homes}")
