"""The API face, mounted at /api/v1/ (DESIGN.md, "API contract, v1")."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import re_path
from ninja import NinjaAPI
from ninja.responses import Status

from dear.api import (
    accounts,
    archive,
    channels,
    errors,
    homes,
    letters,
    mail,
    mutual,
    places,
    reminders,
)
from dear.api.auth import bearer
from dear.api.bodies import ObjectBodies
from dear.api.health import database_answers
from dear.api.schemas import OkOut

# A client generated from the OpenAPI document names its methods after these: a verb and
# the thing it acts on. Views whose name already says both are simply camel-cased.
OPERATION_IDS = {
    "signup": "signUp",
    "me": "getMe",
    "change_me": "updateMe",
    "crumple": "crumpleLetter",
    "keep": "keepLetter",
    "discard": "discardLetter",
    "restore": "restoreLetter",
    "send": "sendLetter",
    "withdraw": "withdrawLetter",
    "read": "markLetterRead",
    "take_back": "takeBackNote",
    "seal": "sealLetter",
    "glance": "glanceAt",
    "moments": "listMoments",
    "my_email": "getMyEmail",
    "change_my_email": "setMyEmail",
    "send_my_link": "sendMyEmailLink",
    "import_letters": "importArchive",
    "import_progress": "getImport",
    "my_channels": "listMyChannels",
    "add_my_channel": "addMyChannel",
    "change_my_channel": "updateMyChannel",
    "test_my_channel": "testMyChannel",
    "remove_my_channel": "removeMyChannel",
}


def camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


class DearAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        name = operation.view_func.__name__
        return OPERATION_IDS.get(name) or camel_case(name)

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            pattern.callback = errors.json_method_not_allowed(pattern.callback)
        # Anything else under /api/v1/ is a 404 in the API's shape, not an HTML page.
        return [*urls, re_path(r"^(?P<rest>.*)$", errors.unknown_path)]


api = DearAPI(
    title="Dear",
    version="1",
    description="Letters between people who share a home.",
    urls_namespace="api",
    auth=bearer,
    parser=ObjectBodies(),
)
errors.install(api)


@api.get("/healthz", auth=None, response={200: OkOut, 503: OkOut}, tags=["health"])
def healthz(request: HttpRequest):
    ok = database_answers()
    return Status(200 if ok else 503, {"ok": ok})


api.add_router("", accounts.router)
api.add_router("", homes.router)
api.add_router("", letters.router)
api.add_router("", places.router)
api.add_router("", mutual.router)
api.add_router("", archive.router)
api.add_router("", reminders.router)
api.add_router("", mail.router)
api.add_router("", channels.router)
