# syntax=docker/dockerfile:1
# Roomgate's container image: built with the Maven wrapper, split into Spring Boot's layers (dependencies change
# rarely, the application often), and run on a JRE as a non-root user.
#   docker build -t roomgate:0.1.0 .
# CI has no Docker engine: k8s/test/image.test.mjs performs this file's extraction and starts its ENTRYPOINT from
# the extracted layout with the Deployment's environment, so keep the `RUN java -Djarmode=tools`, `COPY --from=extract`,
# WORKDIR, USER and ENTRYPOINT lines in the shapes that test reads.

ARG JAVA_VERSION=17

FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY gateway/pom.xml gateway/
COPY gateway/src/main/ gateway/src/main/
# Tests run in CI (.ci/run), not in the image build.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl gateway -am package -DskipTests \
 && cp gateway/target/roomgate-gateway-*.jar /src/roomgate.jar

FROM eclipse-temurin:${JAVA_VERSION}-jre AS extract
WORKDIR /extract
COPY --from=build /src/roomgate.jar roomgate.jar
RUN java -Djarmode=tools -jar roomgate.jar extract --layers --destination layers

FROM eclipse-temurin:${JAVA_VERSION}-jre
WORKDIR /app
# Least to most often changed, one image layer each. Files stay owned by root: the process cannot change its code.
COPY --from=extract /extract/layers/dependencies/ ./
COPY --from=extract /extract/layers/spring-boot-loader/ ./
COPY --from=extract /extract/layers/snapshot-dependencies/ ./
COPY --from=extract /extract/layers/application/ ./
# Numeric, so Kubernetes' runAsNonRoot can verify it; the Deployment runs as the same uid.
USER 10001:10001
EXPOSE 8080 8081
# Configuration: ./config/application.yml (the Deployment mounts its ConfigMap at /app/config). JVM flags come from
# JAVA_TOOL_OPTIONS, set by the Deployment.
ENTRYPOINT ["java", "-jar", "/app/roomgate.jar"]
