"""Request bodies are JSON objects, on every route that takes one.

django-ninja reads a body through a schema that takes attributes from anything, so a
JSON array, string, number or null sent as a PATCH or PUT body read as "nothing given"
and changed nothing with a 200. Every JSON body passes through this parser, so the one
check here covers each route, today's and those still to come.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.parser import Parser

KINDS = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}
KINDS[dict] = "a form"  # only ever said of a form body, which never reaches the parser


class NotAnObject(ValueError):
    def __init__(self, value):
        kind = KINDS.get(type(value), "a number")
        super().__init__(
            f"The request body must be a JSON object, such as {{}}, not {kind}. "
            "Nothing was changed."
        )


class ObjectBodies(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject(data)
        return data
