"""What every service's OpenAPI says each route answers is what it answers (issue 13, part 6): each
reporting figure is asked for with a real partnership, an unknown one, a malformed one and a bad
`as_of`, and each answer is checked against the operation's declared responses. Figures and pages
are never kept by a cache; a query parameter's problem has its own type."""

from __future__ import annotations

PROBLEM = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
INVALID_PARAMETER = "https://schemas.scp.example/problems/invalid-parameter"
FILLED = {"partnership": "doncaster", "kpi_id": "young-carers", "learning_id": "learning-1"}


async def published(client) -> dict:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def figure_routes(schema: dict) -> list[tuple[str, dict]]:
    return [(path, ops["get"]) for path, ops in sorted(schema["paths"].items()) if "{partnership}" in path]


def assert_declared(operation: dict, response, where: str) -> None:
    status = str(response.status_code)
    declared = operation["responses"].get(status)
    assert declared is not None, f"{where}: answered {status}, declares {sorted(operation['responses'])}"
    if response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM, where
        assert declared["content"] == {PROBLEM: {"schema": PROBLEM_REF}}, f"{where}: {status} declared as {declared}"


async def test_every_figure_answers_only_what_its_operation_declares(stack):
    schema = await published(stack.reporting)
    routes = figure_routes(schema)
    assert len(routes) >= 20
    for path, operation in routes:
        takes_as_of = any(p["name"] == "as_of" for p in operation.get("parameters", []))
        asks = {"found": (FILLED, {"as_of": "2022-03-31"} if takes_as_of else {}),
                "no such partnership": ({**FILLED, "partnership": "nowhere"}, {}),
                "a malformed partnership": ({**FILLED, "partnership": "Not A Code!"}, {}),
                **({"a bad as_of": (FILLED, {"as_of": "yesterday"})} if takes_as_of else {})}
        for what, (values, query) in asks.items():
            response = await stack.reporting.get(path.format(**values), params=query)
            where = f"GET {path} with {what}"
            if what == "found" and response.status_code == 404:  # a KPI or learning item the partnership has not
                assert "kpi_id" in path or "learning_id" in path, where
            assert_declared(operation, response, where)
            assert response.headers["cache-control"] == "no-store", where
            if what == "no such partnership":
                assert response.status_code == 404 and response.json()["errors"][0]["loc"] == ["path"], where
            if what in ("a malformed partnership", "a bad as_of"):
                problem = response.json()
                assert response.status_code == 422 and problem["type"] == INVALID_PARAMETER, where
                assert problem["title"] == "Invalid parameter"
                assert problem["errors"][0]["loc"] == (["path", "partnership"] if "partnership" in what
                                                       else ["query", "as_of"]), where


async def test_every_refusal_a_service_declares_is_a_problem_document(stack):
    for service in ("training", "strategy", "reviews", "reporting"):
        schema = await published(getattr(stack, service))
        assert "HTTPValidationError" not in schema["components"]["schemas"], service
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                for status, declared in operation["responses"].items():
                    if status.startswith("4"):
                        assert declared["content"] == {PROBLEM: {"schema": PROBLEM_REF}}, \
                            f"{service}: {method} {path} {status}"
        assert {"200", "503"} <= set(schema["paths"]["/readyz"]["get"]["responses"]), service
        if service != "reporting":
            unauthorised = schema["paths"]["/events"]["post"]["responses"]["401"]
            assert "WWW-Authenticate" in unauthorised["headers"], service


async def test_a_bad_query_parameter_is_an_invalid_parameter_not_an_invalid_event(stack):
    response = await stack.reporting.get("/p/doncaster/api/training/competencies", params={"due_within_days": "-1"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == INVALID_PARAMETER and problem["errors"][0]["loc"] == ["query", "due_within_days"]
    event = await stack.post([], await stack.key(), body=b'{"type": 1}')
    assert event.json()["type"].endswith("/invalid-event")


PAGES = [("/", 200, "no-store"), ("/p/doncaster/", 200, "no-store"), ("/p/doncaster", 308, "no-store"),
         ("/api/partnerships", 200, "no-store"), ("/p/doncaster/api/dashboard", 200, "no-store"),
         ("/p/doncaster/api/dashboard/", 404, "no-store"), ("/healthz", 200, "no-store"),
         ("/openapi.json", 200, "no-store"), ("/static/dashboard.css", 200, "no-cache"),
         ("/static/live.js", 200, "no-cache")]


async def test_figures_and_pages_are_never_stored_and_the_public_files_are_revalidated(stack):
    for path, status, cache in PAGES:
        response = await stack.reporting.get(path, headers={"host": "evil.example"})
        assert (response.status_code, response.headers["cache-control"]) == (status, cache), path
        if status == 308:  # the one redirect: to a path of this service, whatever Host said
            assert response.headers["location"] == "/p/doncaster/"
