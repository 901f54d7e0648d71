"""Finding the person or place a command names: by display name, username or a unique
prefix of either, among the people and places of your homes."""

from __future__ import annotations

from dataclasses import dataclass

from dear.cli.app import CommandFailed
from dear.cli.remote import Server


@dataclass
class Housemate:
    id: str
    username: str
    display_name: str
    home: str  # the first home you share, in the order /me lists them

    def label(self) -> str:
        return f"{self.display_name} ({self.username})"


@dataclass
class Place:
    id: str
    name: str
    kind: str
    at: str  # "by the counter", "in the book"
    waiting: bool
    home: str
    home_name: str

    def label(self) -> str:
        return f"{self.name} (in {self.home_name})"


@dataclass
class Household:
    me: dict
    homes: list[dict]  # each as GET /homes/{id} answers it

    @classmethod
    def of(cls, server: Server) -> Household:
        me = server.get_json("/me")
        homes = [server.get_json(f"/homes/{home['id']}") for home in me["homes"]]
        return cls(me, homes)

    def housemates(self) -> list[Housemate]:
        found: dict[str, Housemate] = {}
        for home in self.homes:
            for member in home["members"]:
                if member["id"] != self.me["id"] and member["id"] not in found:
                    found[member["id"]] = Housemate(
                        member["id"], member["username"], member["display_name"], home["id"]
                    )
        return list(found.values())

    def places(self, home: str | None = None) -> list[Place]:
        return [
            Place(p["id"], p["name"], p["kind"], p["at"], p["waiting"], h["id"], h["name"])
            for h in self.homes
            if home is None or h["id"] == home
            for p in h["places"]
        ]

    def person(self, name: str) -> Housemate:
        people = self.housemates()
        if not people:
            raise CommandFailed("you share no home with anyone yet: invite someone first")
        return pick(name, people, lambda one: (one.display_name, one.username), "housemate")

    def place(self, name: str, home: str | None = None) -> Place:
        places = self.places(home)
        if not places:
            where = "that letter's home" if home else "your homes"
            raise CommandFailed(f"there are no places in {where} yet: make one first")
        return pick(name, places, lambda one: (one.name,), "place")


def _forms(name: str) -> list[str]:
    """A name as it is said in passing: "The counter" is also just "counter"."""
    name = " ".join(name.split()).casefold()
    forms = [name]
    for article in ("the ", "a ", "an ", "my ", "our "):
        if name.startswith(article):
            forms.append(name.removeprefix(article))
    return forms


def pick(name, candidates, names_of, what):
    """The one candidate ``name`` means: an exact name first, else a unique prefix."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        raise CommandFailed(f"name a {what}", 2)
    exact = [c for c in candidates if wanted in (n.casefold() for n in names_of(c))]
    if len(exact) == 1:
        return exact[0]
    matches = exact or [
        c for c in candidates if any(f.startswith(wanted) for n in names_of(c) for f in _forms(n))
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        choices = ", ".join(sorted(c.label() for c in matches))
        raise CommandFailed(f"{name!r} could be any of: {choices}; say which")
    known = ", ".join(sorted(c.label() for c in candidates))
    raise CommandFailed(f"no {what} is called {name!r}; there are: {known}")
