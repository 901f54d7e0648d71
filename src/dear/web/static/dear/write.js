// Dear's writing page: autosave, with a copy of what is typed kept on this device until
// the server has it; the letter growing with its words; the arrival choice. And on a
// sent letter's page, forgetting the copy kept while it was written.
// The page works without it; this only makes it kinder.
"use strict";

(function () {
  const SAVE_EVERY_MS = 2000;
  const RETRY_MS = [3000, 6000, 12000, 30000];
  const KEEPALIVE_LIMIT = 60000; // bytes: browsers refuse keepalive bodies over 64 kB

  // What is typed is kept in this browser until the server acknowledges it, so a crash,
  // a closed tab or a lost signal never takes a word away.
  const KEPT_PREFIX = "dear:unsaved:";

  // A letter begun is kept under its save URL; a fresh page (no letter yet) under whom
  // it is to, until its first save makes the letter.
  function keptCopy(form) {
    let key = KEPT_PREFIX + (form.dataset.keptKey || form.dataset.saveUrl);
    function read() {
      try {
        return JSON.parse(localStorage.getItem(key));
      } catch (err) {
        return null;
      }
    }
    return {
      read: read,
      write(text, revision) {
        try {
          const copy = { text: text, revision: revision, at: Date.now() };
          localStorage.setItem(key, JSON.stringify(copy));
        } catch (err) {
          // Storage full or refused: the server copy is all there is.
        }
      },
      // Forget the copy once the server holds it; words typed since then stay kept.
      forget(joined) {
        const found = read();
        if (!found) return;
        if (joined === undefined || (Array.isArray(found.text) && found.text.join("\u0000") === joined)) {
          localStorage.removeItem(key);
        }
      },
      // The fresh page became a letter: its words are kept under the letter now.
      move(saveUrl) {
        const found = read();
        try {
          localStorage.removeItem(key);
          key = KEPT_PREFIX + saveUrl;
          if (found) localStorage.setItem(key, JSON.stringify(found));
        } catch (err) {
          key = KEPT_PREFIX + saveUrl;
        }
      },
    };
  }

  function offerKept(form, fields, kept, current, onRestore) {
    const revision = form.elements.revision;
    const found = kept.read();
    if (!found || !Array.isArray(found.text)) return;
    if (found.text.join("\u0000") === current) {
      kept.forget();
      return;
    }
    const offer = document.getElementById("kept-offer");
    if (!offer) return;
    const when = offer.querySelector("[data-kept-when]");
    if (when && found.at) {
      when.textContent = new Intl.DateTimeFormat(undefined, {
        dateStyle: "medium",
        timeStyle: "short",
      }).format(new Date(found.at));
    }
    offer.querySelector("[data-kept-preview]").textContent = found.text[1] || found.text[0] || "";
    offer.hidden = false;
    offer.querySelector("[data-kept-restore]").addEventListener("click", () => {
      fields.forEach((f, i) => {
        f.value = found.text[i] || "";
      });
      // A page kept for offline use may be older than the last save this device made:
      // the words go back on top of that save, not of the older page. A newer save from
      // another device still wins, and these words are then kept as a revision (409).
      if (Number(found.revision) > Number(revision.value)) revision.value = found.revision;
      offer.hidden = true;
      onRestore();
      fields[1].focus();
    });
    offer.querySelector("[data-kept-drop]").addEventListener("click", () => {
      kept.forget();
      offer.hidden = true;
    });
  }

  function autosave(form) {
    let url = form.dataset.saveUrl;
    // A fresh page has no letter yet: its first save makes one (POST /write).
    let created = Boolean(url);
    const status = document.getElementById("save-status");
    const conflict = document.getElementById("conflict");
    const revision = form.elements.revision;
    const fields = ["salutation", "body", "closing"].map((name) => form.elements[name]);
    let saved = snapshot();
    let timer = null;
    let inFlight = null;
    let lastStart = 0;
    let failures = 0;
    let stopped = false;
    let submitting = false;
    const kept = keptCopy(form);

    function snapshot() {
      return fields.map((f) => f.value).join("\u0000");
    }
    function dirty() {
      return snapshot() !== saved;
    }
    function say(text, trouble) {
      status.textContent = text;
      status.classList.toggle("trouble", Boolean(trouble));
    }
    function payload() {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      data.append("revision", revision.value);
      fields.forEach((f) => data.append(f.name, f.value));
      if (!created) form.querySelectorAll("[data-start]").forEach((f) => data.append(f.name, f.value));
      return data;
    }
    function schedule(delay) {
      if (timer || stopped || submitting) return;
      const wait = Math.max(delay, lastStart + SAVE_EVERY_MS - Date.now(), 0);
      timer = setTimeout(() => {
        timer = null;
        save(false);
      }, wait);
    }
    function showConflict(keptAs, message) {
      stopped = true;
      say("Not saved");
      conflict.querySelector("[data-conflict-text]").textContent =
        message ||
        "This letter changed on another device; your text was kept as revision " + keptAs + ".";
      conflict.hidden = false;
    }
    // The first save made the letter: from now on the page is that letter's, and its
    // address says so, without a reload that would take the cursor away.
    function begin(answer) {
      created = true;
      url = answer.urls.save;
      form.dataset.saveUrl = url;
      form.action = answer.urls.edit;
      form.querySelectorAll("[data-action]").forEach((b) => {
        b.formAction = answer.urls[b.dataset.action];
      });
      form.querySelectorAll("[data-href]").forEach((a) => {
        a.href = answer.urls[a.dataset.href];
      });
      form.querySelectorAll("[data-begun]").forEach((el) => {
        el.hidden = false;
      });
      form.querySelectorAll("[data-start]").forEach((el) => el.remove());
      kept.move(url);
      history.replaceState(null, "", answer.urls.edit);
    }
    function byteSize() {
      return new Blob(fields.map((f) => f.value)).size;
    }

    function save(leaving) {
      if (stopped || submitting || !dirty()) return Promise.resolve();
      if (inFlight && leaving && created) {
        // The page is going away: the words typed since that save began go now, beside
        // it. If they arrive second they are kept as a revision of their own.
        return send(true);
      }
      if (inFlight) {
        schedule(SAVE_EVERY_MS);
        return inFlight;
      }
      inFlight = send(leaving).finally(() => {
        inFlight = null;
        if (!submitting && dirty()) schedule(0);
      });
      return inFlight;
    }

    async function send(leaving) {
      const sending = snapshot();
      const options = {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      };
      if (leaving && byteSize() < KEEPALIVE_LIMIT) options.keepalive = true;
      lastStart = Date.now();
      say("Saving…");
      try {
        const response = await fetch(created ? url : form.dataset.createUrl, options);
        const answer = await response.json();
        if (response.ok) {
          if (!created) begin(answer);
          revision.value = answer.revision;
          saved = sending;
          kept.forget(sending);
          failures = 0;
          say(dirty() ? "Saving…" : "Saved");
        } else if (response.status === 409 && answer.kept_as) {
          showConflict(answer.kept_as, answer.error && answer.error.message);
        } else if (response.status < 500 && response.status !== 429) {
          // The same text would fail again: say why, and wait for the next change.
          saved = sending;
          say("Not saved — " + (answer.error ? answer.error.message : "please check the letter"), true);
        } else {
          throw new Error("server " + response.status);
        }
      } catch (err) {
        failures += 1;
        say("Not saved — retrying", true);
        schedule(RETRY_MS[Math.min(failures - 1, RETRY_MS.length - 1)]);
      }
    }

    const offer = document.getElementById("kept-offer");
    function keep() {
      // Words still on offer are not overwritten until put back or let go.
      if (offer && !offer.hidden) return;
      if (dirty()) kept.write(fields.map((f) => f.value), revision.value);
      else kept.forget(); // typed back to what the server holds
    }
    offerKept(form, fields, kept, saved, () => {
      keep();
      if (!stopped) say("Saving…");
      schedule(0);
    });

    form.addEventListener("input", (event) => {
      if (!fields.includes(event.target)) return;
      keep();
      if (!stopped) say("Saving…");
      // Gather a couple of seconds of typing into one revision.
      schedule(SAVE_EVERY_MS);
    });

    // Leaving the page (or hiding the tab) saves at once, without waiting for the timer.
    function leave() {
      if (submitting || stopped || !dirty()) return;
      clearTimeout(timer);
      timer = null;
      save(true);
    }
    // Back online: try at once rather than at the next retry.
    window.addEventListener("online", () => {
      if (stopped || submitting || !dirty()) return;
      clearTimeout(timer);
      timer = null;
      save(false);
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") leave();
    });
    window.addEventListener("pagehide", leave);

    // A button submits the page itself; an autosave already on its way lands first, so
    // the form carries the revision that save produced.
    form.addEventListener("submit", (event) => {
      clearTimeout(timer);
      timer = null;
      if (!created) {
        // A fresh page: make the letter first, then let the button act on it.
        event.preventDefault();
        if (submitting) return;
        submitting = true;
        const begun =
          inFlight ||
          (inFlight = send(false).finally(() => {
            inFlight = null;
          }));
        begun.then(() => {
          if (created) form.requestSubmit(event.submitter);
          else submitting = false;
        });
        return;
      }
      const waiting = inFlight;
      submitting = true;
      if (!waiting) return;
      event.preventDefault();
      waiting.then(() => {
        inFlight = null;
        form.requestSubmit(event.submitter);
      });
    });
    window.addEventListener("pageshow", () => {
      submitting = false;
    });

    // Enter in a line of the form never sends the letter: only its buttons do.
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.tagName === "INPUT") event.preventDefault();
    });
    grow(fields[1]);
  }

  // The letter grows with its words, where the browser cannot size it by its content.
  function grow(body) {
    if (document.activeElement === body && body.value) {
      body.setSelectionRange(body.value.length, body.value.length);
    }
    if (window.CSS && CSS.supports && CSS.supports("field-sizing", "content")) return;
    const fit = () => {
      body.style.height = "auto";
      body.style.height = body.scrollHeight + 2 + "px";
    };
    body.addEventListener("input", fit);
    fit();
  }

  // Writing: typing a day or a time chooses "On a day and time"; choosing another way
  // clears the day, so the server never has to guess which was meant.
  function arrivalChoice() {
    document.querySelectorAll("[data-choose]").forEach((field) => {
      const choice = document.getElementById(field.dataset.choose);
      if (!choice) return;
      field.addEventListener("input", () => {
        choice.checked = true;
      });
      choice.form.querySelectorAll('input[type="radio"][name="' + choice.name + '"]').forEach((other) => {
        if (other === choice) return;
        other.addEventListener("change", () => {
          if (other.checked && field.type === "date") field.value = "";
        });
      });
    });
  }

  // A letter that has left the drawer can no longer change: no copy of it need stay here.
  function forgetSent() {
    document.querySelectorAll("[data-forget-unsaved]").forEach((el) => {
      try {
        localStorage.removeItem(KEPT_PREFIX + el.dataset.forgetUnsaved);
      } catch (err) {
        // Nothing kept, or storage refused.
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("letter-form");
    if (form && (form.dataset.saveUrl || form.dataset.createUrl)) autosave(form);
    arrivalChoice();
    forgetSent();
  });
})();
