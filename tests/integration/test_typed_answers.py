"""Typed answers (issue 15): every reporting JSON endpoint declares the model of its 200 answer, the OpenAPI
describes each figure's fields, and the models are true: every answer of the sample, for several windows,
validates against its route's model, which names every field it may carry (`extra="forbid"`)."""

from __future__ import annotations

import inspect
from typing import get_args

import pytest
from pydantic import BaseModel, RootModel, ValidationError

from services.reporting.entrypoints import answers
from services.reporting.figures import reviews as review_figures, strategy as strategy_figures
from shared.events.reviews import CLOCKS
from tests.harness import eventually

pytestmark = pytest.mark.integration

WINDOWS = [{"as_of": "2022-03-31"}, {"as_of": "2021-12-31"}, {"as_of": "2024-03-31"}, {"period": "2022-Q1"},
           {"from": "2021-10-01", "to": "2022-06-30"}]
SINCE = {"as_of": "2022-03-31", "since": "2022-01-01"}  # training's period started at a moment: no label
FILLED = {"partnership": "doncaster", "kpi_id": "family-hub-members-0-2", "learning_id": "learning-cspr-2021-01"}
ADMIN_PASSWORD = "correct horse battery staple"
REF = "#/components/schemas/"


def _routes(container):
    for route in container.routes:
        inner = getattr(route, "original_router", None)  # an included router (FastAPI 0.165)
        yield from _routes(inner) if inner is not None else [route]


def json_routes(app) -> dict[str, object]:
    """Every reporting JSON route by path: those the OpenAPI lists (but the operations endpoints, which are every
    service's) and those under /p/{partnership}/api/ it does not (the events and version the pages ask for)."""
    listed = {path for path, ops in app.openapi()["paths"].items()
              if "get" in ops and "operations" not in ops["get"].get("tags", [])}
    found = {r.path: r for r in _routes(app) if "GET" in (getattr(r, "methods", None) or ())}
    wanted = listed | {p for p in found if p.startswith("/p/{partnership}/api/")}
    assert wanted <= set(found), sorted(wanted - set(found))
    return {path: found[path] for path in sorted(wanted)}


def model_of(route) -> type[BaseModel]:
    declared = route.responses.get(200, {}).get("model")
    assert declared is not None and issubclass(declared, BaseModel), f"{route.path}: no model for its 200 answer"
    return declared


def resolve(schema: dict, node: dict) -> dict:
    """A schema node with its `$ref` followed (the OpenAPI's components)."""
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].removeprefix(REF)]
    return node


def _models() -> list[type[BaseModel]]:
    return [m for _, m in inspect.getmembers(answers, inspect.isclass)
            if issubclass(m, BaseModel) and m.__module__ == answers.__name__]


def test_every_answer_model_forbids_what_it_does_not_name_and_says_what_each_field_means():
    models = _models()
    assert len(models) > 50
    for model in models:
        if issubclass(model, RootModel):
            continue
        assert model.model_config.get("extra") == "forbid", model.__name__
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} says nothing of what it means"


def test_the_states_the_models_name_are_the_figures_own():
    assert set(get_args(answers.ActionStatus)) == set(strategy_figures.ACTION_STATUSES)
    assert set(get_args(answers.KpiStatus)) == set(strategy_figures.KPI_SEVERITY)
    assert set(get_args(answers.Display)) == {"green", "green_without_evidence", *strategy_figures.DISPLAY.values()}
    assert {r["clock"] for r in review_figures.clock_rules()} == set(CLOCKS)


def test_every_json_route_declares_its_answer_in_the_openapi(stack):
    app = stack.reporting_app
    schema = app.openapi()
    routes = json_routes(app)
    assert len(routes) >= 25, sorted(routes)
    for path, route in routes.items():
        model = model_of(route)
        if path not in schema["paths"]:
            continue  # served, but left out of the OpenAPI by its router (the pages' events and version)
        answer = schema["paths"][path]["get"]["responses"]["200"]
        assert answer["content"]["application/json"]["schema"]["$ref"] == REF + model.__name__, path
        assert answer["description"] != "Successful Response", f"{path}: its 200 answer is not described"

    # a partner finds `clocks[].due` in the OpenAPI, and what it means
    clocks = schema["paths"]["/p/{partnership}/api/reviews/clocks"]["get"]["responses"]["200"]
    answer = resolve(schema, clocks["content"]["application/json"]["schema"])
    clock = resolve(schema, answer["properties"]["clocks"]["items"])
    assert clock["properties"]["due"]["format"] == "date"
    assert "due" in clock["properties"]["due"]["description"] and "reviews service" in \
        clock["properties"]["due"]["description"]
    assert "due" in clock["required"] and clock["additionalProperties"] is False
    period = resolve(schema, answer["properties"]["period"])
    assert {"from", "to"} <= set(period["properties"])  # the keys as answered, not the models' Python names


async def _projected(stack) -> bool:
    return await stack.caught_up() and (await stack.dashboard())["attendances"] == 1368


def _checked(model: type[BaseModel], body, where: str, failures: list[str]) -> None:
    try:
        model.model_validate(body)
    except ValidationError as exc:
        failures.append(f"{where}: {exc}")


async def test_every_answer_of_the_sample_is_what_its_model_says(stack):
    await stack.load_sample()
    await stack.start_projector()
    await eventually(lambda: _projected(stack), timeout_s=120)
    await stack.reader("admin", "admin", ("doncaster",), password=ADMIN_PASSWORD)
    admin = await stack.browser()
    await stack.sign_in(admin, "admin", ADMIN_PASSWORD)

    scorecard = await stack.figures("strategy/scorecard", as_of="2022-03-31")
    clocks = await stack.figures("reviews/clocks", as_of="2022-03-31")
    actions = [a for s in scorecard["strategies"] for p in s["priorities"] for a in p["actions"]]
    ids = [*scorecard["strategies"][0]["event_ids"], *(e for a in actions[:5] for e in a["event_ids"]),
           *(d for c in clocks["clocks"][:3] for d in c["decision_ids"]), "no-such-event"]  # decisions: causation ids

    app = stack.reporting_app
    schema = app.openapi()
    failures: list[str] = []
    asked = 0
    for path, route in json_routes(app).items():
        model = model_of(route)
        params = {p["name"] for p in schema["paths"].get(path, {}).get("get", {}).get("parameters", [])}
        queries = [*WINDOWS, *([SINCE] if "since" in params else [])] if "as_of" in params else [{}]
        if path.endswith("/api/events"):
            queries = [{"ids": ",".join(ids)}]
        client = admin if path.endswith(("/api/audit", "/api/writes")) else stack.reporting  # only an admin reads those
        for query in queries:
            response = await client.get(path.format(**FILLED), params=query)
            assert response.status_code == 200, (path, query, response.text)
            _checked(model, response.json(), f"GET {path} {query}", failures)
            asked += 1
    rotherham = await stack.reporting.get("/p/rotherham/api/dashboard")
    _checked(answers.DashboardAnswer, rotherham.json(), "GET /p/rotherham/api/dashboard", failures)
    assert not failures, "\n\n".join(failures)
    assert asked > 100

    events = answers.EventsAnswer.model_validate(
        (await stack.reporting.get("/p/doncaster/api/events", params={"ids": ",".join(ids)})).json())
    assert events.events and any(e.causation_id for e in events.events)  # the nullable fields were exercised

    # a field a model does not name is refused, however deep: the models cannot drift from the answers quietly
    clocks["clocks"][0]["surprise"] = 1
    with pytest.raises(ValidationError, match="surprise"):
        answers.ClocksAnswer.model_validate(clocks)
