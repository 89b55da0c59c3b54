"""What the notifier reads: the reporting service's published JSON (its OpenAPI), with a read key, as any reporting
tool would. So a notice says exactly what the signed-in page says, and the notifier imports no other service.

The read key comes from `REPORTING_READ_KEY`, or from the file `REPORTING_READ_KEY_FILE` names (a mounted Secret;
locally the sample's readers file, whose `read_key` it takes), read again whenever it is refused.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx


class Refused(Exception):
    pass


class ReportingClient:
    def __init__(self, base_url: str, key: str = "", key_file: str | None = None, timeout_s: float = 30.0,
                 client: httpx.AsyncClient | None = None):
        self.key, self.key_file = key, key_file
        self.client = client or httpx.AsyncClient(base_url=base_url, timeout=timeout_s)

    def _key(self) -> str:
        if self.key:
            return self.key
        if self.key_file and Path(self.key_file).exists():
            text = Path(self.key_file).read_text().strip()
            return json.loads(text)["read_key"] if text.startswith("{") else text
        return ""

    async def get(self, path: str, **params) -> dict | list:
        response = await self.client.get(path, params=params, headers={"authorization": f"Bearer {self._key()}"})
        if response.status_code in (401, 403):
            raise Refused(f"the reporting service refused the notifier's read key ({response.status_code})")
        response.raise_for_status()
        return response.json()

    async def partnerships(self) -> dict[str, str]:
        """The partnerships the key reads: code -> name."""
        return {p["code"]: p["name"] for p in await self.get("/api/partnerships")}

    async def version(self, partnership: str) -> str | None:
        return (await self.get(f"/p/{partnership}/api/version")).get("event_identity")

    async def clocks(self, partnership: str, day: date) -> list[dict]:
        return (await self.get(f"/p/{partnership}/api/reviews/clocks", as_of=day.isoformat()))["clocks"]

    async def recommendations(self, partnership: str, day: date) -> list[dict]:
        return (await self.get(f"/p/{partnership}/api/reviews/recommendations",
                               as_of=day.isoformat()))["recommendations"]

    async def actions(self, partnership: str, day: date) -> list[dict]:
        """Every action the scorecard shows for the reporting year of `day`, and every overdue one of any plan."""
        scorecard = await self.get(f"/p/{partnership}/api/strategy/scorecard", as_of=day.isoformat())
        found = {a["action_id"]: a for s in scorecard["strategies"] for p in s["priorities"] for a in p["actions"]}
        attention = await self.get(f"/p/{partnership}/api/strategy/actions/attention", as_of=day.isoformat())
        for owner in attention["owners"]:
            for a in owner["overdue"]:
                found.setdefault(a["action_id"], {**a, "owner_agency": owner["owner_agency"]})
        return list(found.values())

    async def kpis(self, partnership: str, day: date) -> list[dict]:
        """Every KPI with its status; those off track or missing a value with their series (which period)."""
        rows = (await self.get(f"/p/{partnership}/api/strategy/kpis", as_of=day.isoformat()))["kpis"]
        return [(await self.get(f"/p/{partnership}/api/strategy/kpis/{row['kpi_id']}", as_of=day.isoformat()))["kpi"]
                if row["status"] in ("off_track", "missing") else row for row in rows]

    async def close(self) -> None:
        await self.client.aclose()
