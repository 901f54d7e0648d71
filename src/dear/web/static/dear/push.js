// "Notify this device": Web Push for the browser Dear is open in. The page renders the
// button hidden; this script shows it only where the browser can receive pushes, and
// says in one sentence why not where it cannot.
(function () {
  "use strict";

  const OFFER_SEEN = "dear-push-offer-seen";

  function csrfToken(box) {
    const field = box.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  // Why this browser cannot be notified, or "" when it can.
  function unavailable() {
    if (!window.isSecureContext) {
      return "This browser lets a website notify it only over HTTPS, and Dear is reached here over plain HTTP.";
    }
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      const apple = /iPhone|iPad/.test(navigator.userAgent);
      return apple
        ? "On an iPhone or iPad, Dear can notify you once it is on your Home Screen (Share, then Add to Home Screen)."
        : "This browser cannot receive notifications from websites.";
    }
    if (Notification.permission === "denied") {
      return "Notifications from Dear are blocked in this browser's settings.";
    }
    return "";
  }

  function say(box, words) {
    const status = box.querySelector("[data-push-status]");
    if (status) {
      status.textContent = words;
      status.hidden = !words;
    }
  }

  // To the page that shows the result; a link to this same page would only scroll.
  function done(where) {
    const target = new URL(where || window.location.href, window.location.href);
    if (target.pathname === window.location.pathname && target.search === window.location.search) {
      window.location.hash = target.hash;
      window.location.reload();
    } else {
      window.location.assign(target.href);
    }
  }

  async function subscribe(box) {
    const button = box.querySelector("[data-push-start]");
    button.disabled = true;
    say(box, "Asking this browser…");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(box, "This browser was told not to show Dear's notifications, so nothing changed.");
        return;
      }
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: box.dataset.pushKey,
      });
      const response = await fetch(box.dataset.subscribeUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(box) },
        body: JSON.stringify(subscription),
      });
      if (!response.ok) {
        await subscription.unsubscribe().catch(() => {});
        let message = "Dear could not keep this device's subscription. Try again in a little while.";
        try {
          message = (await response.json()).error.message || message;
        } catch (error) {
          // Not our JSON: the plain message stands.
        }
        say(box, message);
        return;
      }
      done(box.dataset.doneUrl);
    } catch (error) {
      say(box, "This browser's push service did not answer, so this device is not notified. A push app works without it.");
    } finally {
      button.disabled = false;
    }
  }

  // Stopping on Settings: the browser forgets its subscription too, then the form goes.
  function stopping(form) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.stopped || !("serviceWorker" in navigator)) return;
      event.preventDefault();
      form.dataset.stopped = "yes";
      navigator.serviceWorker
        .getRegistration("/")
        .then((registration) => registration && registration.pushManager.getSubscription())
        .then((subscription) => subscription && subscription.unsubscribe())
        .catch(() => {})
        .then(() => form.submit());
    });
  }

  async function thisDevice(box) {
    const start = box.querySelector("[data-push-start]");
    const why = unavailable();
    if (why) {
      say(box, why + (box.dataset.elsewhere ? " " + box.dataset.elsewhere : ""));
      if (box.hasAttribute("data-push-offer")) box.hidden = true;
      return;
    }
    if (box.hasAttribute("data-push-offer")) {
      // Offered once on a device: after "Not now" or a subscription, never again here.
      let seen = false;
      try {
        seen = localStorage.getItem(OFFER_SEEN) === "yes";
      } catch (error) {
        seen = true;
      }
      const registration = await navigator.serviceWorker.getRegistration("/");
      const subscribed = registration && (await registration.pushManager.getSubscription());
      if (seen || subscribed) return;
      box.hidden = false;
      const later = box.querySelector("[data-push-later]");
      const remember = () => {
        try {
          localStorage.setItem(OFFER_SEEN, "yes");
        } catch (error) {
          // Not kept: it may be offered again, which is all.
        }
      };
      if (later) {
        later.addEventListener("click", () => {
          remember();
          box.hidden = true;
        });
      }
      start.addEventListener("click", remember);
    }
    if (start) {
      say(box, "");
      start.hidden = false;
      start.addEventListener("click", () => subscribe(box));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-push-key]").forEach((box) => thisDevice(box));
    document.querySelectorAll("[data-push-stop]").forEach(stopping);
  });
})();
