// Lists the partnerships from /api/partnerships, each linking to its dashboard (a file: the page holds under its CSP).
"use strict";
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
function cell(content) { const td = document.createElement("td"); td.append(content); return td; }
async function load() {
  const meta = document.getElementById("meta");
  try {
    const res = await fetch("/api/partnerships"); if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = document.querySelector("#partnerships tbody"); body.replaceChildren();
    for (const p of await res.json()) {
      const link = document.createElement("a"); link.href = p.dashboard; link.textContent = p.name;
      const [month, day] = p.year_starts.split("-").map(Number);
      const tr = document.createElement("tr");
      tr.append(cell(link), cell(p.area), cell(`${day} ${MONTHS[month - 1]}`));
      body.append(tr);
    }
    meta.textContent = body.children.length ? "" : "No partnership is hosted yet: add one with python -m shared.auth add-partnership.";
  } catch (e) { meta.textContent = `Could not load the partnerships: ${e.message}`; meta.classList.add("error"); }
}
load();
