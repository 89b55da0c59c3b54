"""Checks of the deployment files: deploy/k8s, docker-compose.yml, Dockerfile.

Needs no network, no Docker engine and no cluster. Every Kubernetes object is
validated against the API schema of one Kubernetes version with
kubernetes-validate (strict: unknown fields fail), and the manifests are
checked against the list of processes below, so that a port, probe, command
or variable cannot drift between the services and their deployment.

Rendering the kustomizations needs kustomize (on PATH, in .local/bin, or as
`kubectl kustomize`); without one those tests are skipped.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
PRODUCTION = K8S / "overlays" / "production"
COMPOSE = ROOT / "docker-compose.yml"

# The Kubernetes version whose API schemas the objects must satisfy.
K8S_VERSION = "1.33"

NAMESPACE = "scp"
CONFIGMAP = "scp-config"
MONGODB_SECRET = ("scp-mongodb", "url")


@dataclass(frozen=True)
class Process:
    name: str  # Deployment, Service and compose service name
    module: str  # python -m MODULE
    port: int  # HTTP port, or the metrics port of the projector and the notifier
    http: bool  # has the HTTP API with /healthz, /readyz, /metrics


PROCESSES = (
    Process("reporting", "services.reporting", 8000, True),
    Process("reporting-projector", "services.reporting.projector", 9100, False),
    Process("notifier", "services.notifier", 9101, False),
    Process("strategy", "services.strategy", 8001, True),
    Process("reviews", "services.reviews", 8002, True),
    Process("training", "services.training", 8003, True),
)
HTTP_PROCESSES = tuple(p for p in PROCESSES if p.http)
PROJECTOR = next(p for p in PROCESSES if not p.http)
DOMAIN_SERVICES = ("strategy", "reviews", "training")
TOPICS_MODULE = "shared.kafka.topics"
# Every process reads these (pydantic-settings, same names everywhere).
SHARED_ENV = {
    "KAFKA_BOOTSTRAP_SERVERS",
    "MONGODB_URL",
    "LOG_LEVEL",
    "OTEL_TRACES_EXPORTER",
    "TOPIC_PREFIX",
}


# --------------------------------------------------------------------------
# loading


def load_docs(path: Path) -> list[Any]:
    with path.open() as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def kustomizations() -> list[Path]:
    return sorted(K8S.rglob("kustomization.yaml"))


def referenced_files(kustomization: Path) -> tuple[list[Path], list[Path]]:
    """(resource files, patch files) that a kustomization.yaml names.

    Resource entries that are directories (other kustomizations) are left out.
    """
    (spec,) = load_docs(kustomization)
    here = kustomization.parent
    resources = [
        (here / entry).resolve() for entry in spec.get("resources", []) if (here / entry).is_file()
    ]
    patches = [
        (here / entry["path"]).resolve() for entry in spec.get("patches", []) if "path" in entry
    ]
    patches += [(here / entry).resolve() for entry in spec.get("patchesStrategicMerge", [])]
    patches += [(here / entry["path"]).resolve() for entry in spec.get("patchesJson6902", [])]
    return resources, patches


def all_resource_files() -> list[Path]:
    return sorted({f for k in kustomizations() for f in referenced_files(k)[0]})


def all_patch_files() -> list[Path]:
    return sorted({f for k in kustomizations() for f in referenced_files(k)[1]})


def base_objects() -> list[dict]:
    resources, _ = referenced_files(BASE / "kustomization.yaml")
    return [doc for path in resources for doc in load_docs(path)]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --------------------------------------------------------------------------
# (a) every YAML file is used, and every object is a valid Kubernetes object


def test_every_yaml_file_under_deploy_k8s_is_a_kustomization_resource_or_patch():
    yaml_files = {p.resolve() for p in K8S.rglob("*.y*ml")}
    used = set(kustomizations()) | set(all_resource_files()) | set(all_patch_files())
    used = {p.resolve() for p in used}
    missing = sorted(rel(p) for p in used - yaml_files)
    assert not missing, f"kustomizations name files that do not exist: {missing}"
    orphans = sorted(rel(p) for p in yaml_files - used)
    assert not orphans, f"YAML files no kustomization uses (dead or forgotten): {orphans}"


def test_kustomization_directories_exist():
    for k in kustomizations():
        (spec,) = load_docs(k)
        for entry in spec.get("resources", []):
            assert (k.parent / entry).exists(), f"{rel(k)}: resource {entry} does not exist"


def _object_params() -> list:
    params = []
    for path in all_resource_files():
        for i, doc in enumerate(load_docs(path)):
            name = f"{rel(path)}#{i}:{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
            params.append(pytest.param(doc, id=name))
    return params


def validate_object(doc: dict) -> None:
    error = None
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as e:
        # reported outside the handler: the chained jsonschema error would
        # print the whole schema
        error = f"{'.'.join(str(p) for p in e.path)}: {e.message}"
    if error is not None:
        pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} (Kubernetes {K8S_VERSION}): {error}")


@pytest.mark.parametrize("doc", _object_params())
def test_resource_file_object_is_valid_kubernetes(doc):
    validate_object(doc)


def test_patch_files_are_not_listed_as_resources():
    assert not set(all_patch_files()) & set(all_resource_files())


# --------------------------------------------------------------------------
# (b) the objects match the process list


def find(objs: list[dict], kind: str, name: str) -> dict:
    matches = [o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def of_kind(objs: list[dict], kind: str) -> list[dict]:
    return [o for o in objs if o["kind"] == kind]


def single_container(workload: dict) -> dict:
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{workload['metadata']['name']}: expected one container"
    return containers[0]


def resolve_port(container: dict, port: int | str) -> int:
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    assert port in named, f"{container['name']}: probe/service uses unknown port name {port!r}"
    return named[port]


def env_names(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


def configmap_refs(container: dict) -> list[str]:
    return [e["configMapRef"]["name"] for e in container.get("envFrom", []) if "configMapRef" in e]


def check_pod_hardening(workload: dict) -> None:
    name = workload["metadata"]["name"]
    pod = workload["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    run_as_non_root = c.get("securityContext", {}).get(
        "runAsNonRoot", pod.get("securityContext", {}).get("runAsNonRoot")
    )
    assert run_as_non_root is True, f"{name}: runAsNonRoot must be true"
    run_as_user = c.get("securityContext", {}).get(
        "runAsUser", pod.get("securityContext", {}).get("runAsUser")
    )
    assert run_as_user == dockerfile_uid(), f"{name}: runAsUser must be the image's user"
    csc = c.get("securityContext", {})
    assert csc.get("allowPrivilegeEscalation") is False, f"{name}: allowPrivilegeEscalation"
    assert "ALL" in csc.get("capabilities", {}).get("drop", []), f"{name}: capabilities not dropped"
    for bound in ("requests", "limits"):
        res = c.get("resources", {}).get(bound, {})
        assert {"cpu", "memory"} <= set(res), f"{name}: resources.{bound} needs cpu and memory"


def dockerfile_uid() -> int:
    users = [rest for kw, rest in dockerfile_instructions() if kw == "USER"]
    assert users, "the Dockerfile sets no USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit(), "USER must be numeric, or runAsNonRoot cannot verify it"
    return int(uid)


def check_stack(objs: list[dict]) -> None:
    """Checks that hold for the base and for every rendered overlay."""
    find(objs, "Namespace", NAMESPACE)
    cm = find(objs, "ConfigMap", CONFIGMAP)
    cm_keys = set(cm.get("data", {}))
    assert "KAFKA_BOOTSTRAP_SERVERS" in cm_keys

    deployments = {d["metadata"]["name"] for d in of_kind(objs, "Deployment")}
    assert deployments == {p.name for p in PROCESSES}

    for p in PROCESSES:
        dep = find(objs, "Deployment", p.name)
        template = dep["spec"]["template"]
        labels = template["metadata"]["labels"]
        selector = dep["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels.items(), f"{p.name}: selector does not match pod labels"

        c = single_container(dep)
        assert c["command"] == ["python", "-m", p.module], f"{p.name}: wrong command"
        assert c["image"].split("/")[-1].split(":")[0] == "scp-platform", f"{p.name}: wrong image"
        assert CONFIGMAP in configmap_refs(c), f"{p.name}: does not load {CONFIGMAP}"
        env = env_names(c)
        available = cm_keys | set(env)
        assert SHARED_ENV <= available, f"{p.name}: missing settings {SHARED_ENV - available}"

        ports = {port["name"]: port["containerPort"] for port in c["ports"]}
        annotations = template["metadata"].get("annotations", {})
        assert annotations.get("prometheus.io/scrape") == "true", f"{p.name}: not scraped"
        assert annotations.get("prometheus.io/port") == str(p.port), f"{p.name}: scrape port"
        assert annotations.get("prometheus.io/path") == "/metrics", f"{p.name}: scrape path"

        if p.http:
            assert ports == {"http": p.port}, f"{p.name}: container ports {ports}"
            assert env.get("PORT", {}).get("value") == str(p.port), f"{p.name}: PORT env"
            ready = c["readinessProbe"]["httpGet"]
            live = c["livenessProbe"]["httpGet"]
            assert ready["path"] == "/readyz", f"{p.name}: readiness must be /readyz"
            assert live["path"] == "/healthz", f"{p.name}: liveness must be /healthz"
            assert resolve_port(c, ready["port"]) == p.port
            assert resolve_port(c, live["port"]) == p.port
            if "startupProbe" in c:
                assert c["startupProbe"]["httpGet"]["path"] == "/healthz"
                assert resolve_port(c, c["startupProbe"]["httpGet"]["port"]) == p.port

            svc = find(objs, "Service", p.name)
            assert svc["spec"]["selector"].items() <= labels.items(), (
                f"{p.name}: Service selects no pod of its Deployment"
            )
            for sp in svc["spec"]["ports"]:
                assert resolve_port(c, sp["targetPort"]) == p.port, f"{p.name}: Service targetPort"
        else:
            assert ports == {"metrics": p.port}, f"{p.name}: container ports {ports}"
            assert env.get("METRICS_PORT", {}).get("value") == str(p.port)
            live = c["livenessProbe"]["httpGet"]
            assert live["path"] == "/metrics"
            assert resolve_port(c, live["port"]) == p.port
            # one writer per read-model document, even during a rollout
            assert dep["spec"].get("replicas", 1) == 1, "the projector must run exactly once"
            assert dep["spec"]["strategy"]["type"] == "Recreate"
            assert not [s for s in of_kind(objs, "Service") if s["metadata"]["name"] == p.name]
            assert not [
                h
                for h in of_kind(objs, "HorizontalPodAutoscaler")
                if h["spec"]["scaleTargetRef"]["name"] == p.name
            ], "the projector must not be autoscaled"

        check_pod_hardening(dep)

    job = find(objs, "Job", "create-topics")
    jc = single_container(job)
    assert jc["command"] == ["python", "-m", TOPICS_MODULE]
    assert CONFIGMAP in configmap_refs(jc)
    assert job["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
    check_pod_hardening(job)

    ingress = find(objs, "Ingress", "reporting")
    services = {s["metadata"]["name"]: s for s in of_kind(objs, "Service")}
    paths = set()
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            paths.add(path["path"])
            backend = path["backend"]["service"]
            assert backend["name"] == "reporting", "the Ingress publishes the dashboard only"
            svc_ports = services[backend["name"]]["spec"]["ports"]
            if "name" in backend["port"]:
                assert backend["port"]["name"] in {sp.get("name") for sp in svc_ports}
            else:
                assert backend["port"]["number"] in {sp["port"] for sp in svc_ports}
    assert {"/", "/api/partnerships", "/p", "/static"} <= paths
    assert not {"/metrics", "/healthz", "/readyz"} & paths


def check_schema_base_urls(objs: list[dict]) -> None:
    """Each domain service names, as its SCHEMA_BASE_URL (the `dataschema` of its events), a URL of its own
    Service that the settings take."""
    from shared.settings import DomainServiceSettings

    for name in DOMAIN_SERVICES:
        env = env_names(single_container(find(objs, "Deployment", name)))
        url = env.get("SCHEMA_BASE_URL", {}).get("value")
        assert url, f"{name}: SCHEMA_BASE_URL not set"
        (port,) = [sp["port"] for sp in find(objs, "Service", name)["spec"]["ports"]]
        host = f"{name}.{NAMESPACE}.svc.cluster.local" + ("" if port == 80 else f":{port}")
        assert url == f"http://{host}/schemas/", f"{name}: SCHEMA_BASE_URL is not its own Service's /schemas/"
        assert DomainServiceSettings(schema_base_url=url).schema_base == url


def test_base_objects_match_the_process_list():
    objs = base_objects()
    check_stack(objs)
    check_schema_base_urls(objs)
    # The base itself carries the placeholder so it can be applied as is.
    assert "MONGODB_URL" in find(objs, "ConfigMap", CONFIGMAP)["data"]


def test_production_overlay_declares_image_replicas_and_secret():
    (spec,) = load_docs(PRODUCTION / "kustomization.yaml")
    (image,) = spec["images"]
    assert image["name"] == "scp-platform"
    assert image.get("newTag") and image["newTag"] != "latest"
    replicas = {r["name"]: r["count"] for r in spec["replicas"]}
    assert replicas == {name: 2 for name in DOMAIN_SERVICES}
    patch_text = "".join(
        p.read_text() for p in referenced_files(PRODUCTION / "kustomization.yaml")[1]
    )
    assert "scp-mongodb" in patch_text and "key: url" in patch_text


# --------------------------------------------------------------------------
# rendering with kustomize (optional)


def kustomize_command() -> list[str] | None:
    exe = shutil.which("kustomize")
    if exe is None and (ROOT / ".local" / "bin" / "kustomize").is_file():
        exe = str(ROOT / ".local" / "bin" / "kustomize")
    if exe is not None:
        return [exe, "build"]
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        probe = subprocess.run(
            [kubectl, "kustomize", "--help"], capture_output=True, timeout=30, check=False
        )
        if probe.returncode == 0:
            return [kubectl, "kustomize"]
    return None


@pytest.fixture(scope="module")
def render():
    cmd = kustomize_command()
    if cmd is None:
        pytest.skip(
            "kustomize not found (neither on PATH, in .local/bin, nor as `kubectl kustomize`); "
            "install with: go install sigs.k8s.io/kustomize/kustomize/v5@v5.4.3"
        )
    cache: dict[Path, list[dict]] = {}

    def _render(directory: Path) -> list[dict]:
        if directory not in cache:
            result = subprocess.run(
                [*cmd, str(directory)], capture_output=True, text=True, timeout=120, check=False
            )
            assert result.returncode == 0, (
                f"{' '.join(cmd)} {rel(directory)} failed:\n{result.stderr}"
            )
            cache[directory] = [d for d in yaml.safe_load_all(result.stdout) if d is not None]
        return cache[directory]

    return _render


@pytest.mark.parametrize("directory", [BASE, PRODUCTION], ids=["base", "production"])
def test_kustomize_build_renders_valid_objects(render, directory):
    objs = render(directory)
    assert objs
    for doc in objs:
        validate_object(doc)
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == NAMESPACE, (
                f"{doc['kind']}/{doc['metadata']['name']} is not in namespace {NAMESPACE}"
            )
    check_stack(objs)


def test_production_render_uses_release_image_replicas_and_mongodb_secret(render):
    objs = render(PRODUCTION)
    images = {
        single_container(w)["image"] for w in of_kind(objs, "Deployment") + of_kind(objs, "Job")
    }
    assert len(images) == 1, f"all processes must run one image, found {images}"
    (image,) = images
    assert "/" in image and ":" in image.rsplit("/", 1)[-1], f"{image}: registry and tag expected"
    assert not image.endswith(":latest")

    for name in DOMAIN_SERVICES:
        assert find(objs, "Deployment", name)["spec"]["replicas"] == 2
        pdb = find(objs, "PodDisruptionBudget", name)
        assert pdb["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}
    assert find(objs, "Deployment", PROJECTOR.name)["spec"]["replicas"] == 1

    assert "MONGODB_URL" not in find(objs, "ConfigMap", CONFIGMAP)["data"]
    for workload in of_kind(objs, "Deployment") + of_kind(objs, "Job"):
        env = env_names(single_container(workload))
        ref = env.get("MONGODB_URL", {}).get("valueFrom", {}).get("secretKeyRef", {})
        assert (ref.get("name"), ref.get("key")) == MONGODB_SECRET, (
            f"{workload['metadata']['name']}: MONGODB_URL must come from Secret "
            f"{MONGODB_SECRET[0]} key {MONGODB_SECRET[1]}"
        )


# --------------------------------------------------------------------------
# (c) docker-compose.yml


@pytest.fixture(scope="module")
def compose() -> dict:
    (doc,) = load_docs(COMPOSE)  # PyYAML's safe loader resolves the << merge keys
    return doc


def compose_env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def test_compose_has_every_process_and_the_infrastructure(compose):
    services = compose["services"]
    expected = {"kafka", "mongodb", "topics"} | {p.name for p in PROCESSES}
    assert expected <= set(services), f"missing: {expected - set(services)}"
    assert services["kafka"]["image"] == "apache/kafka:4.0.1"
    assert services["mongodb"]["image"] == "mongo:7"


def test_compose_kafka_is_a_single_kraft_node(compose):
    env = compose_env(compose["services"]["kafka"])
    for var in (
        "KAFKA_NODE_ID",
        "KAFKA_PROCESS_ROLES",
        "KAFKA_LISTENERS",
        "KAFKA_ADVERTISED_LISTENERS",
        "KAFKA_CONTROLLER_QUORUM_VOTERS",
        "KAFKA_CONTROLLER_LISTENER_NAMES",
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
    ):
        assert env.get(var), f"kafka: {var} not set"
    for var in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR",
    ):
        assert env.get(var) == "1", f"kafka: {var} must be 1 on a single node"
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(env["KAFKA_NODE_ID"] + "@")


def test_compose_processes_match_the_process_list(compose):
    services = compose["services"]
    kafka_env = compose_env(services["kafka"])
    advertised = {
        listener.split("://", 1)[1]
        for listener in kafka_env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    }
    images = set()
    for p in PROCESSES:
        svc = services[p.name]
        assert svc["command"] == ["python", "-m", p.module], f"{p.name}: wrong command"
        images.add(svc["image"])
        assert "build" in svc, f"{p.name}: must be built from the Dockerfile"
        env = compose_env(svc)
        assert {"KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL"} <= set(env), f"{p.name}: env"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] in advertised, (
            f"{p.name}: {env['KAFKA_BOOTSTRAP_SERVERS']} is not an advertised Kafka listener"
        )
        assert env["MONGODB_URL"].startswith("mongodb://mongodb:")
        published = {str(port) for port in svc.get("ports", [])}
        assert f"{p.port}:{p.port}" in published, f"{p.name}: port {p.port} not published"
        probe = " ".join(svc["healthcheck"]["test"])
        if p.http:
            assert env.get("PORT") == str(p.port), f"{p.name}: PORT"
            assert "/readyz" in probe, f"{p.name}: healthcheck must use /readyz"
        else:
            assert env.get("METRICS_PORT") == str(p.port)
            assert "/metrics" in probe
        if p.name in DOMAIN_SERVICES:  # the `dataschema` of its events: its schemas as the host reaches them
            assert env.get("SCHEMA_BASE_URL") == f"http://localhost:{p.port}/schemas/", f"{p.name}: SCHEMA_BASE_URL"
        deps = svc["depends_on"]
        assert deps["topics"]["condition"] == "service_completed_successfully", p.name
        assert deps["mongodb"]["condition"] == "service_healthy", p.name

    topics = services["topics"]
    assert topics["command"] == ["python", "-m", TOPICS_MODULE]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert str(topics.get("restart", "no")) == "no", "the topics job runs once"
    images.add(topics["image"])
    assert len(images) == 1, f"all processes must share one image, found {images}"


def test_compose_dependencies_are_consistent(compose):
    services = compose["services"]
    for name, svc in services.items():
        deps = svc.get("depends_on", {})
        if isinstance(deps, list):
            deps = {d: {"condition": "service_started"} for d in deps}
        for dep, spec in deps.items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            if spec.get("condition") == "service_healthy":
                assert "healthcheck" in services[dep], (
                    f"{name} waits for {dep}, which has no healthcheck"
                )


def test_compose_header_points_to_make_run():
    header = COMPOSE.read_text().split("\n\n", 1)[0]
    assert "make run" in header


# --------------------------------------------------------------------------
# Dockerfile and .dockerignore


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def test_dockerfile_builds_one_non_root_image_from_the_lock():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    runs = [rest for kw, rest in instructions if kw == "RUN"]
    lock = next(i for i, r in enumerate(runs) if "pip install -r requirements.lock" in r)
    pkg = next(i for i, r in enumerate(runs) if "pip install --no-deps ." in r)
    assert lock < pkg, "install the locked dependencies before the package"
    users = [rest for kw, rest in instructions if kw == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image must not run as root"
    (cmd,) = [rest for kw, rest in instructions if kw == "CMD"]
    assert yaml.safe_load(cmd) == ["python", "-m", "services.reporting"]


def test_dockerignore_keeps_local_state_and_tests_out():
    entries = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".local", "tests"} <= entries
