// Dear's service worker: served at /sw.js so that its scope is the whole app.
// Static files come from the cache and are refreshed behind the scenes; pages come from
// the network, and the pages worth reading with no signal (home, the boxes, letters and
// the writing page) are kept so they open offline. Logging out forgets every kept page.
"use strict";

const VERSION = "dear-1";
const SHELL = VERSION + "-shell";
const PAGES = VERSION + "-pages";
const SHELL_FILES = [
  "/static/dear/dear.css",
  "/static/dear/dear.js",
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

function page(request, url, event) {
  const keep = KEPT_PAGES.some((pattern) => pattern.test(url.pathname));
  return fetch(request)
    .then((response) => {
      // Only a page shown to this person (not a redirect to the login) is kept.
      if (keep && response.ok && !response.redirected) {
        const copy = response.clone();
        event.waitUntil(caches.open(PAGES).then((cache) => cache.put(request, copy)));
      }
      return response;
    })
    .catch(() =>
      caches
        .match(request, { ignoreVary: true, ignoreSearch: false })
        .then((hit) => hit || caches.match("/offline", { ignoreVary: true })),
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
