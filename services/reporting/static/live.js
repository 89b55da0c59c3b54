// A live page (no as-of date asked for) asks every 3 s whether the read model has moved, and reloads when it has.
"use strict";
(() => {
  const url = document.body.dataset.live;
  if (!url) return;
  let seen;
  async function check() {
    try {
      const res = await fetch(url, {headers: {accept: "application/json"}});
      if (!res.ok) return;
      const now = (await res.json()).event_identity;
      if (seen === undefined) seen = now;
      else if (now !== seen) location.reload();
    } catch (e) { /* offline for a moment: ask again next time */ }
  }
  check(); setInterval(check, 3000);
})();
