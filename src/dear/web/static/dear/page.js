// Dear: the script every page has. Local times, this device's time zone, copy buttons,
// folded fields opened by a link, and the offline helper; the writing page has its own
// (write.js). Every page works without it; this only makes them kinder.
"use strict";

(function () {
  // The page's one date style (templatetags/clock.py said()), on the device's clock:
  // "today 12:04", "yesterday 18:30", "2 December, 12:04", "2 December 2023".
  function localTimes() {
    const times = document.querySelectorAll("time[data-local]");
    // Making a formatter loads the device's locale data: not on pages with no times.
    if (!times.length) return;
    const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    const month = new Intl.DateTimeFormat("en-GB", { month: "long" });
    const now = new Date();
    const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    const near = { "-1": "yesterday", 0: "today", 1: "tomorrow" };
    times.forEach((el) => {
      const when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) return;
      const days = Math.round((midnight(when) - midnight(now)) / 86400000);
      const hm = clock.format(when);
      let said;
      if (days === 0 && el.hasAttribute("data-clock-only")) said = (el.dataset.clockOnly === "at" ? "at " : "") + hm;
      else if (String(days) in near) said = `${near[days]} ${hm}`;
      else if (when.getFullYear() !== now.getFullYear()) said = `${when.getDate()} ${month.format(when)} ${when.getFullYear()}`;
      else said = `${when.getDate()} ${month.format(when)}, ${hm}`;
      el.textContent = said;
    });
  }

  function deviceZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (err) {
      return "";
    }
  }

  // While a signed-in person has no time zone, the page carries a hidden form: tell the
  // server this device's zone, once. It is kept only if they still have none.
  function tellZone() {
    const form = document.querySelector("form[data-zone-probe]");
    if (!form) return;
    const zone = deviceZone();
    if (!zone) return;
    form.elements.time_zone.value = zone;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).catch(() => {});
  }

  // Settings: "Use this device's zone" picks it in the list, when the list has it.
  function zoneButtons() {
    const buttons = document.querySelectorAll("button[data-device-zone]");
    if (!buttons.length) return;
    const zone = deviceZone();
    buttons.forEach((button) => {
      const select = document.getElementById(button.dataset.deviceZone);
      if (!select || !zone || !Array.from(select.options).some((o) => o.value === zone)) return;
      button.hidden = false;
      button.addEventListener("click", () => {
        select.value = zone;
        select.focus();
      });
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

  // The service worker keeps the pages already seen (and the static files) for reading
  // with no network; it lives at the site root so its scope is the whole app.
  function offline() {
    const worker = document.body.dataset.worker;
    if (!worker || !("serviceWorker" in navigator)) return;
    // After the page has loaded: fetching and keeping the shell must not compete with
    // showing the letter on a slow phone.
    const register = () => navigator.serviceWorker.register(worker, { scope: "/" }).catch(() => {});
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register, { once: true });
    const banner = document.getElementById("offline-banner");
    if (!banner) return;
    const show = () => {
      banner.hidden = navigator.onLine;
    };
    window.addEventListener("online", show);
    window.addEventListener("offline", show);
    show();
  }

  // A link to a field folded inside a closed <details> (Settings' push app form) opens
  // it: Chromium does so itself, other browsers would scroll to nothing.
  function unfoldTargets() {
    const unfold = () => {
      const id = decodeURIComponent(location.hash.slice(1));
      const target = id && document.getElementById(id);
      const folded = target && target.closest("details:not([open])");
      if (!folded) return;
      folded.open = true;
      target.scrollIntoView({ block: "center" });
    };
    window.addEventListener("hashchange", unfold);
    unfold();
  }
  document.addEventListener("DOMContentLoaded", () => {
    offline();
    localTimes();
    tellZone();
    zoneButtons();
    copyButtons();
    unfoldTargets();
  });
})();
