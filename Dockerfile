# syntax=docker/dockerfile:1
#
# One image for every process of the platform. The default command runs the
# reporting API; every other process overrides the command:
#
#   python -m services.reporting             reporting API        :8000 (default)
#   python -m services.reporting.projector   read-model projector :9100 (metrics only)
#   python -m services.strategy              strategy API         :8001
#   python -m services.reviews               reviews API          :8002
#   python -m services.training              training API        :8003
#   python -m shared.kafka.topics            one-shot topic creation
#   python -m shared.auth create-key ...     partner API key CLI
#
# Build: docker build -t scp-platform:<version> .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0

# Fixed numeric UID/GID so Kubernetes' runAsNonRoot can verify the user
# (it cannot resolve user names) and the manifests can pin runAsUser.
RUN groupadd --system --gid 10001 scp \
 && useradd --system --uid 10001 --gid scp --no-create-home \
            --home-dir /nonexistent --shell /usr/sbin/nologin scp

# Debian's Chromium and fonts: the reporting service prints its PDFs (the learning digest) with them, offline,
# through Playwright (CHROMIUM_PATH; Playwright's own browser download is not used).
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium

WORKDIR /app

# Locked dependencies first, in their own layer: it is rebuilt only when the
# lock changes, not on every code change.
COPY requirements.lock ./
RUN pip install -r requirements.lock

# Then the package itself, without re-resolving dependencies. The source tree
# stays in /app (the working directory, first on sys.path for `python -m`),
# so non-Python files next to the code (templates, static files) are found
# even if the package metadata does not declare them as package data.
COPY pyproject.toml ./
COPY shared ./shared
COPY services ./services
COPY sample ./sample
RUN pip install --no-deps . \
 && rm -rf build ./*.egg-info

USER 10001:10001

EXPOSE 8000
CMD ["python", "-m", "services.reporting"]
