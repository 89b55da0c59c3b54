// Fills one partnership's dashboard from its api/dashboard (relative to /p/<partnership>/) every 5 s (a file, so that the page holds under its CSP).
"use strict";
const fmt = n => Number(n).toLocaleString("en-GB");
const MODES = {face_to_face: "Face to face", virtual: "Virtual", e_learning: "E-learning"};
const label = s => MODES[s] ?? s.replaceAll("_", " ").replace(/^./, c => c.toUpperCase());
function cell(text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; return td; }
function fill(id, rows, cells) {
  const body = document.querySelector(`#${id} tbody`); body.replaceChildren();
  for (const r of rows) { const tr = document.createElement("tr"); for (const c of cells(r)) tr.append(c); body.append(tr); }
}
async function refresh() {
  try {
    const res = await fetch("api/dashboard"); if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const answer = await res.json(), t = answer.training;
    const year = t.period ? `, ${t.period.label ?? `${t.period.from} to ${t.period.to}`}` : "";
    document.getElementById("title").textContent = `${answer.name}: training${year}`;
    document.title = `${answer.name}: training${year}`;
    for (const k of ["attendances", "sessions", "courses", "no_shows", "late_cancellations"]) document.getElementById(k).textContent = fmt(t[k]);
    const top = Math.max(1, ...t.by_agency.map(r => r.attended));
    fill("by_agency", t.by_agency, r => { const bar = document.createElement("td"); const b = document.createElement("div"); b.className = "bar"; b.style.width = `${100 * r.attended / top}%`; bar.append(b); return [cell(r.agency), cell(fmt(r.attended), "num"), bar]; });
    fill("by_delivery_mode", t.by_delivery_mode, r => [cell(label(r.mode)), cell(fmt(r.sessions), "num"), cell(fmt(r.attended), "num"), cell(`${Math.round(100 * r.share)}%`, "num")]);
    fill("by_course", t.by_course, r => [cell(r.title), cell(fmt(r.sessions), "num"), cell(fmt(r.attended), "num")]);
    const ev = t.evaluations ?? {responses: 0, agreed_both: 0};
    document.getElementById("evaluations").textContent = fmt(ev.responses);
    document.getElementById("agreed_both").textContent = ev.responses ? `${fmt(ev.agreed_both)} of ${fmt(ev.responses)}` : "–";
    const tna = t.needs_analysis;
    fill("needs_analysis", tna ? Object.keys(tna.preferences) : [], m => [cell(label(m)), cell(fmt(tna.preferences[m]), "num"), cell(`${Math.round(100 * tna.shares[m])}%`, "num")]);
    fill("partner_programmes", t.partner_programmes ?? [], r => [cell(r.title), cell(r.reported_by), cell(fmt(r.sessions), "num"), cell(fmt(r.attendees), "num")]);
    document.getElementById("meta").textContent = `Latest event: ${t.last_event_at ?? "none yet"} · refreshed ${new Date().toLocaleTimeString("en-GB")} · sources: ${t.sources.join(", ")}`;
    document.getElementById("meta").classList.remove("error");
  } catch (e) { const m = document.getElementById("meta"); m.textContent = `Could not load the figures: ${e.message}`; m.classList.add("error"); }
}
refresh(); setInterval(refresh, 5000);
