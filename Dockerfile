# syntax=docker/dockerfile:1
# One recipe for the platform's five deployables; the build argument SERVICE says which one:
#   docker build --build-arg SERVICE=order-service -t localhost/emporium/order-service:dev .
# `./emporium images` builds all five with whatever builder the machine has (docker, podman, nerdctl
# or buildah) and says how to load them into kind or minikube, or push them (docs/kubernetes.md).
ARG SERVICE=gateway

# 1. Build the jar with the Maven wrapper and split it into Spring Boot's layers
FROM eclipse-temurin:25-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN test -f "${SERVICE}/pom.xml" || { echo "SERVICE=${SERVICE} is none of discovery, gateway, user-service, inventory-service, order-service" >&2; exit 1; }
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl "${SERVICE}" -am -DskipTests package
RUN java -Djarmode=tools -jar "${SERVICE}/target/${SERVICE}.jar" extract --layers --destination /layers \
    && mv "/layers/application/${SERVICE}.jar" /layers/application/app.jar

# 2. Run it: JRE only, an unprivileged user, one layer per rate of change (dependencies change least)
FROM eclipse-temurin:25-jre
ARG SERVICE
LABEL org.opencontainers.image.title="emporium ${SERVICE}" \
      org.opencontainers.image.source="https://github.com/emporium/emporium"
# curl, for the health checks that docker-compose runs (Kubernetes probes need nothing in the image)
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 emporium && useradd --system --uid 10001 --gid emporium --no-create-home emporium
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001:10001
# Memory for a plain `docker run`, within the smallest limit (512 MiB). Compose and the k8s manifests
# set JAVA_TOOL_OPTIONS themselves, sized to each container's limit by the rule in docs/kubernetes.md
# ("Memory"): heap + metaspace + code cache + direct memory + 96 MiB for the rest fits the limit.
ENV JAVA_TOOL_OPTIONS="-Xmx160m -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=32m -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "app.jar"]
