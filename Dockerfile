# Staffroom in a container: slim Python, the locked dependencies, a non-root user.
#   docker build -t staffroom .
#   docker run --env-file staffroom.env -p 127.0.0.1:9100:9100 staffroom run slack discord
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pg_dump and pg_restore, for `staffroom db backup` and `db restore` on PostgreSQL.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/staffroom --uid 10001 staffroom

WORKDIR /opt/staffroom
# Dependencies first, in their own layer: a code change does not reinstall them.
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --require-hashes --requirement requirements/runtime.txt
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
RUN pip install --no-deps .

USER staffroom
WORKDIR /var/lib/staffroom
# The embedded default keeps its file in the volume; set STAFFROOM_DATABASE_URL for PostgreSQL.
ENV STAFFROOM_DATABASE_URL=sqlite+aiosqlite:////var/lib/staffroom/staffroom.db \
    STAFFROOM_HEALTH_HOST=0.0.0.0 \
    STAFFROOM_LOG_FORMAT=json
VOLUME ["/var/lib/staffroom"]
# 9100: /healthz, /readyz, /metrics. 3000: Slack in HTTP mode (requests and OAuth pages).
EXPOSE 9100 3000
HEALTHCHECK --interval=30s --timeout=5s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9100/healthz', timeout=4)"
ENTRYPOINT ["staffroom"]
CMD ["run", "slack", "discord"]
