// Dear's service worker: served at /sw.js so that its scope is the whole app.
// Static files come from the cache and are refreshed behind the scenes; pages come from
// the network, and the pages worth reading with no signal (home, the boxes, letters and
// the writing page) are kept so they open offline. Logging out forgets every kept page;
// so does any sign that the session is gone (it ended on another device, or expired),
// and a kept page is never shown once the session that showed it must have ended.
"use strict";

// Raised when the shell changes in a way old pages must not meet: dear-2 split the
// writing page's script from every page's, so pages kept with the old one are dropped.
const VERSION = "dear-2";
const SHELL = VERSION + "-shell";
const PAGES = VERSION + "-pages";
const SHELL_FILES = [
  "/static/dear/dear.css",
  "/static/dear/page.js",
  "/static/dear/write.js",
  "/static/dear/icon.svg",
  "/static/dear/manifest.webmanifest",
  "/offline",
];
// Pages kept for offline reading: home, the boxes, one person's letters, a letter, the
// writing page (a fresh one too), a place.
const KEPT_PAGES = [
  /^\/$/,
  /^\/(inbox|sent|drafts|drawer|sealed|moments)$/,
  /^\/with\/[0-9a-f-]+$/,
  /^\/letters\/[0-9a-f-]+(\/edit)?$/,
  /^\/write$/,
  /^\/places\/[0-9a-f-]+$/,
];
// How long a kept page may be shown: the session cookie's age (settings.SESSION_COOKIE_AGE,
// written in by the server that serves this file). The session that showed a page ends at
// most that long after the page was kept (its expiry only moves when it is used online,
// and then the page is kept anew), so no kept page outlives its session, and none is
// dropped while its session may still be alive.
const KEEP_FOR_MS = __SESSION_COOKIE_AGE__ * 1000;
const KEPT_AT = "Dear-Kept-At";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => !n.startsWith(VERSION)).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

function staticFile(request, event) {
  return caches.open(SHELL).then((cache) =>
    cache.match(request).then((hit) => {
      const fresh = fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (hit) {
        event.waitUntil(fresh.catch(() => {}));
        return hit;
      }
      return fresh;
    }),
  );
}

function keepPage(request, response) {
  // Kept with the moment it was kept, which decides how long it may be shown.
  return response.blob().then((body) => {
    const headers = new Headers(response.headers);
    headers.set(KEPT_AT, String(Date.now()));
    const kept = new Response(body, { status: response.status, headers });
    return caches.open(PAGES).then((cache) => cache.put(request, kept));
  });
}

function expired(kept) {
  const at = Number(kept.headers.get(KEPT_AT));
  return !(at > 0) || Date.now() - at > KEEP_FOR_MS;
}

function forgetExpired() {
  return caches.open(PAGES).then((cache) =>
    cache
      .keys()
      .then((requests) =>
        Promise.all(
          requests.map((one) =>
            cache.match(one).then((kept) => kept && expired(kept) && cache.delete(one)),
          ),
        ),
      ),
  );
}

// The server's answer says nobody is signed in here any more: the login page shown to
// this browser (where a kept page now redirects), or a kept page refused outright.
function sessionGone(url, response, keep) {
  if (url.pathname === "/login" && response.ok) return true;
  return keep && (response.status === 401 || response.status === 403);
}

function page(request, url, event) {
  const keep = KEPT_PAGES.some((pattern) => pattern.test(url.pathname));
  return fetch(request)
    .then((response) => {
      if (sessionGone(url, response, keep)) {
        event.waitUntil(caches.delete(PAGES));
      } else if (keep && response.ok && !response.redirected) {
        // Only a page shown to this person (not a redirect to the login) is kept.
        event.waitUntil(keepPage(request, response.clone()));
      }
      return response;
    })
    .catch(() =>
      caches
        .match(request, { ignoreVary: true, ignoreSearch: false })
        .then((hit) => {
          if (hit && !expired(hit)) return hit;
          event.waitUntil(forgetExpired());
          return caches.match("/offline", { ignoreVary: true });
        }),
    );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout") {
    // A shared laptop keeps nothing of one person's letters after they log out, and is
    // no longer notified of theirs (Dear forgets the subscription on its side too).
    event.waitUntil(
      Promise.all([
        caches.delete(PAGES),
        self.registration.pushManager
          .getSubscription()
          .then((subscription) => subscription && subscription.unsubscribe())
          .catch(() => {}),
      ]),
    );
    return;
  }
  if (request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request, event));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request, url, event));
  }
});

// Web Push: Dear sends {title, body, url}; body holds the words only when the person chose
// to see them. Only a path on this Dear is ever opened from a notification.
function sameOriginPath(path) {
  try {
    const url = new URL(path || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : self.location.origin + "/";
  } catch (error) {
    return self.location.origin + "/";
  }
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const url = sameOriginPath(message.url);
  const options = {
    icon: "/static/dear/icon.svg",
    // One notification per letter: a second push about it replaces the first.
    tag: url,
    data: { url: url },
  };
  if (message.body) options.body = message.body;
  event.waitUntil(self.registration.showNotification(message.title || "Dear", options));
});

// The push service may replace this browser's subscription (Firefox does, now and then):
// tell Dear the new one, so the same device goes on ringing with the same choices.
self.addEventListener("pushsubscriptionchange", (event) => {
  const old = event.oldSubscription;
  const fresh = event.newSubscription
    ? Promise.resolve(event.newSubscription)
    : old && old.options && old.options.applicationServerKey
      ? self.registration.pushManager.subscribe(old.options)
      : Promise.resolve(null);
  event.waitUntil(
    fresh
      .then((subscription) =>
        subscription &&
        fetch("/settings/devices/renewed", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ old: old ? old.endpoint : null, subscription: subscription }),
        }),
      )
      .catch(() => {}),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = sameOriginPath(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const showing = windows.find((client) => client.url === url);
      if (showing) return showing.focus();
      // A tab already open on Dear goes to the letter; only without one does a window open.
      const onDear = windows.find((client) => client.frameType === "top-level");
      const open = () => self.clients.openWindow(url);
      if (!onDear) return open();
      return onDear
        .navigate(url)
        .then((client) => (client || onDear).focus().catch(() => client))
        .catch(open);
    }),
  );
});
