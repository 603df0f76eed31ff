# syntax=docker/dockerfile:1
# DeksdenFlow Orchestrator image: one image for every role (DEKSDENFLOW_ROLE=all|api|worker).
#
#   docker build -t deksdenflow-orchestrator .
#   docker run -p 8000:8000 -e DEKSDENFLOW_API_TOKEN=... -v deksdenflow-data:/var/lib/deksdenflow deksdenflow-orchestrator
#
# The coding-agent CLIs (codex, claude) are not included: build FROM this image and install the
# one you use (e.g. Node.js + `npm i -g @openai/codex`), or use DEKSDENFLOW_ENGINE=command.

# --- build ---------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -q -B -DskipTests package

# --- runtime -------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates curl bubblewrap socat util-linux \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 deksdenflow \
 && useradd --system --uid 10001 --gid deksdenflow --home-dir /var/lib/deksdenflow \
      --shell /usr/sbin/nologin deksdenflow \
 && mkdir -p /var/lib/deksdenflow/workspace \
 && chown -R deksdenflow:deksdenflow /var/lib/deksdenflow

COPY routes /app/routes
COPY scripts /app/scripts
# Start-up with Spring Boot's CDS support: the jar extracted to /app/boot (deksdenflow-orchestrator.jar + lib/)
# and a class-data archive from a training run (start to a healthy /health, SIGTERM; see
# scripts/cds-train.sh). Roughly halves start-up CPU (docs/benchmarks.md, "Start-up").
COPY --from=build /src/target/deksdenflow-orchestrator.jar /tmp/deksdenflow-orchestrator.jar
# (the archive records the class path: train where the jar stays)
# (should the training run fail, the image still works: the JVM warns about the missing archive and starts
# without it, only slower)
# (the training run loads the shipped YAML routes too, as the container's start does)
RUN (CDS_TRAIN_ROUTES_DIR=/app/routes /app/scripts/cds-train.sh /tmp/deksdenflow-orchestrator.jar /app/boot \
      || echo "WARNING: CDS training run failed; the image starts without the archive") \
 && test -f /app/boot/deksdenflow-orchestrator.jar && rm /tmp/deksdenflow-orchestrator.jar

# Defaults for a container; every one can be overridden (see application.yml for the full list).
ENV DEKSDENFLOW_API_HOST=0.0.0.0 \
    DEKSDENFLOW_API_PORT=8000 \
    DEKSDENFLOW_WORKSPACE=/var/lib/deksdenflow/workspace \
    DEKSDENFLOW_DB_PATH=/var/lib/deksdenflow/deksdenflow.sqlite \
    DEKSDENFLOW_ROUTES_DIR=/app/routes \
    DEKSDENFLOW_GIT_LOCAL=false \
    GIT_TERMINAL_PROMPT=0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0"

USER deksdenflow:deksdenflow
WORKDIR /var/lib/deksdenflow
# Workspace (clones, worktrees), the default SQLite file and its secrets key file
# (deksdenflow.sqlite.key, unless DEKSDENFLOW_SECRETS_KEY is set) live here.
VOLUME ["/var/lib/deksdenflow"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
  CMD curl -fsS "http://127.0.0.1:${DEKSDENFLOW_API_PORT}/health" >/dev/null || exit 1

# Without -XX:SharedArchiveFile (or with an archive from another JVM build) the JVM starts normally, only slower.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/boot/app.jsa", "-jar", "/app/boot/deksdenflow-orchestrator.jar"]
