// Dear: our one script. Autosave for the writing page, local times, and copy buttons.
// Every page works without it; this only makes them kinder.
"use strict";

(function () {
  const SAVE_EVERY_MS = 2000;
  const RETRY_MS = [3000, 6000, 12000, 30000];
  const KEEPALIVE_LIMIT = 60000; // bytes: browsers refuse keepalive bodies over 64 kB

  function autosave(form) {
    const url = form.dataset.saveUrl;
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
    function byteSize() {
      return new Blob(fields.map((f) => f.value)).size;
    }

    function save(leaving) {
      if (stopped || submitting || !dirty()) return Promise.resolve();
      if (inFlight && leaving) {
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
        const response = await fetch(url, options);
        const answer = await response.json();
        if (response.ok) {
          revision.value = answer.revision;
          saved = sending;
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

    form.addEventListener("input", (event) => {
      if (!fields.includes(event.target)) return;
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
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") leave();
    });
    window.addEventListener("pagehide", leave);

    // A button submits the page itself; an autosave already on its way lands first, so
    // the form carries the revision that save produced.
    form.addEventListener("submit", (event) => {
      clearTimeout(timer);
      timer = null;
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
  }

  function localTimes() {
    const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    document.querySelectorAll("time[data-local]").forEach((el) => {
      const when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) el.textContent = format.format(when);
    });
  }

  function timeZoneFields() {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    document.querySelectorAll('input[name="tz"]').forEach((el) => {
      el.value = zone;
    });
  }

  function copyButtons() {
    document.querySelectorAll("[data-select-all]").forEach((el) => {
      el.addEventListener("focus", () => el.select());
    });
    if (!navigator.clipboard) return;
    document.querySelectorAll("button[data-copy]").forEach((button) => {
      const source = document.getElementById(button.dataset.copy);
      const note = button.parentElement.querySelector("[data-copy-status]");
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(source.value);
          if (note) note.textContent = "Copied.";
        } catch (err) {
          source.select();
          if (note) note.textContent = "Select the link and copy it.";
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("letter-form");
    if (form && form.dataset.saveUrl) autosave(form);
    localTimes();
    timeZoneFields();
    copyButtons();
  });
})();
