"""Writing: the page itself, a fresh one or a letter already begun. What its buttons do
to the letter lives in ``unsent``.

A fresh page makes nothing: ``GET /write`` shows the writer with no letter behind it,
and the first save (our script's, or the form's) makes the draft with the words typed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dear.homes import seen as homes_seen
from dear.homes.access import home_for_member, housemate, is_member, members_of, shared_home
from dear.letters import services as letters
from dear.letters.access import seen_letter
from dear.letters.services import scheduling
from dear.lib import times
from dear.lib.errors import Invalid, NotFound
from dear.web import clock
from dear.web.errors import friendly
from dear.web.views.common import STATE_WORDS, person_of, uuid_or_404
from dear.web.views.unsent import posted_text, save_posted

# "What happens to this letter?": the choices, and the view each one's button posts to.
CHOICES = ("send", "later", "place", "seal", "drawer")
# What a fresh page's button asks for once the draft exists (see ``_start``).
THEN = {"send": "web:send", "leave": "web:leave", "seal": "web:seal", "keep": "web:keep"}
# Passed along from the "Write to…" page to the writer.
CARRIED = ("choose", "place")


def _urls(letter_id) -> dict[str, str]:
    """Where a begun letter's buttons post and its links lead."""
    names = ("edit", "save", "send", "leave", "seal", "keep", "crumple", "discard", "revisions")
    return {name: reverse(f"web:{name}", args=[letter_id]) for name in names}


def _recipient(me, home_id, to):
    """Someone ``me`` may write to in that home (a person, with their clock); else 404."""
    home = home_for_member(me, uuid_or_404(home_id))
    found = members_of(home).exclude(pk=me.pk).filter(pk=uuid_or_404(to)).first()
    if found is None:
        raise NotFound()
    return home, found


def _answerable(me, letter_id):
    """The letter a reply answers, as its reader sees it; one's own letter is not answered."""
    original = seen_letter(me, uuid_or_404(letter_id))
    if original.mine:
        raise Invalid("A letter goes to someone else in your home, not to yourself.")
    return original


@login_required
def write(request: HttpRequest) -> HttpResponse:
    """GET: the writer, with no letter yet (or whom to write to); POST: the first save."""
    if request.method == "POST":
        if "application/json" in request.headers.get("Accept", ""):
            return _start_json(request)
        return _start(request)
    return _fresh(request)


@friendly
def _fresh(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    query = request.GET
    answers = None
    if query.get("reply"):
        answers = _answerable(me, query["reply"])
        home, recipient = _recipient(me, answers.home, answers.writer.id)
    elif query.get("to"):
        home_id = query.get("home")
        if not home_id:
            shared = shared_home(me, housemate(me, uuid_or_404(query["to"])))
            home_id = shared.pk if shared else None
        home, recipient = _recipient(me, home_id, query["to"])
    else:
        return _ask_whom(request, me)
    page = {
        "salutation": letters.salutation_for([recipient]),
        "body": "",
        "closing": me.display_name,
    }
    context = _writer_context(
        request, me, home=home.pk, recipients=[recipient], page=page, answers=answers
    )
    context["start"] = {
        "home": home.pk,
        "to": recipient.id,
        "in_reply_to": answers.id if answers else "",
    }
    return render(request, "web/edit.html", context)


def _ask_whom(request: HttpRequest, me) -> HttpResponse:
    """ "Write to…": everyone you share a home with; with only one, straight to them."""
    homes = homes_seen.homes_of(me, places=False)
    if request.GET.get("home"):
        homes = [h for h in homes if str(h.id) == request.GET["home"]]
        if not homes:
            raise NotFound()
    carried = {key: request.GET[key] for key in CARRIED if request.GET.get(key)}
    people = [
        {"home": home, "person": person, "url": _writer_url(person.id, home.id, carried)}
        for home in homes
        for person in home.housemates
    ]
    if people and len({entry["person"].id for entry in people}) == 1:
        return redirect(people[0]["url"])  # one housemate, in one home or several
    context = {"people": people, "homes": homes, "several_homes": len(homes) > 1}
    return render(request, "web/write.html", context)


def _writer_url(to, home, carried: dict) -> str:
    return reverse("web:write") + "?" + urlencode({"to": to, "home": home, **carried})


def _writer_context(request, me, *, home, recipients, page, letter=None, answers=None) -> dict:
    places = homes_seen.open_places(me, home)
    here = bool(places) or is_member(me, home)
    choose = request.GET.get("choose")
    if (choose == "place" and not places) or (choose == "seal" and len(recipients) != 1):
        choose = None
    chosen_place = request.GET.get("place", "")
    return {
        "letter": letter,
        "page": page,
        "urls": _urls(letter.pk) if letter else None,
        "recipients": recipients,
        "names": clock.together(recipients),
        "answers": answers,
        "places": places,
        "chosen_place": chosen_place if any(str(p.id) == chosen_place for p in places) else "",
        "choose": choose if choose in CHOICES else "send",
        "here": here,
        "state": STATE_WORDS[letter.state] if letter else None,
        "undo_seconds": settings.SEND_UNDO_SECONDS,
        "body_limit": settings.LETTER_BODY_LIMIT,
        "arrives": _arrives_context(me, recipients),
    }


def _create(request: HttpRequest):
    """The draft, made from a fresh page's first save: its words, to whom, in answer to."""
    reply = request.POST.get("in_reply_to") or None
    return letters.create_letter(
        person_of(request),
        home=request.POST.get("home"),
        to=[request.POST.get("to", "")],
        in_reply_to=reply,
        **posted_text(request),
    )


def _then(request: HttpRequest) -> str | None:
    if "send" in request.POST:
        return "send"
    then = request.POST.get("then")
    return then if then in THEN else None


@login_required
@friendly
def _start(request: HttpRequest) -> HttpResponse:
    """Without our script: the fresh page's form. Its words make the draft; a button that
    chose what happens next (send, leave, seal, keep) is posted on to that letter's own
    action, body and all (307 keeps the method and the form)."""
    then = _then(request)
    if then and then != "keep" and not request.POST.get("body", "").strip():
        # Checked before the draft is made: a page never written on leaves nothing behind.
        raise Invalid("Write something before you send it.")
    letter = _create(request)
    if then:
        return HttpResponseRedirect(reverse(THEN[then], args=[letter.pk]), status=307)
    if posted_text(request):
        messages.success(request, "Saved.")
    url = reverse("web:edit", args=[letter.pk])
    choose = request.POST.get("choose")
    if choose in CHOICES and choose != "send":
        url += "?" + urlencode({"choose": choose})
    return redirect(url)


@login_required
@friendly(json=True)
def _start_json(request: HttpRequest) -> JsonResponse:
    """From our script: the first autosave. Answers where the letter lives now."""
    letter = _create(request)
    answer = {
        "id": str(letter.pk),
        "revision": letter.revision,
        "saved_at": letter.updated_at.isoformat(),
        "urls": _urls(letter.pk),
    }
    return JsonResponse(answer, status=201)


@login_required
@require_POST
@friendly
def reply(request: HttpRequest, letter_id) -> HttpResponse:
    """The old way to start a reply: now the writer opens, and nothing is made until typed."""
    original = _answerable(person_of(request), letter_id)
    return redirect(reverse("web:write") + "?" + urlencode({"reply": original.id}))


@login_required
@friendly
def edit(request: HttpRequest, letter_id) -> HttpResponse:
    me = person_of(request)
    if request.method == "POST":
        save_posted(request, letter_id)
        messages.success(request, "Saved.")
        return redirect("web:edit", letter_id)
    letter = seen_letter(me, letter_id)
    if not letter.mine:
        raise NotFound()
    if not letter.is_unsent:
        return redirect("web:letter", letter.pk)
    answers = seen_letter(me, letter.in_reply_to) if letter.in_reply_to else None
    page = {"salutation": letter.salutation, "body": letter.body, "closing": letter.closing}
    context = _writer_context(
        request,
        me,
        home=letter.home,
        recipients=letter.to,
        page=page,
        letter=letter,
        answers=answers,
    )
    return render(request, "web/edit.html", context)


def _arrives_context(me, recipients) -> dict:
    """What the "Arrive later" choice says: on whose clock, and when "in the morning"
    would be."""
    now = timezone.now()
    on = scheduling.clock_for(me, recipients)
    today = now.astimezone(on.zone).date()
    return {
        "label": clock.label(on),
        "reason": clock.reason(on, me, recipients),
        "morning": clock.spoken(
            times.next_morning(now, on.zone), on.zone, now, relative=clock.is_viewers(on, me)
        ),
        "min": today.isoformat(),
        "max": (now + letters.MAX_AHEAD).astimezone(on.zone).date().isoformat(),
    }
