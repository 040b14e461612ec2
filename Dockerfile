# syntax=docker/dockerfile:1
# Roomgate's container image: built with the Maven wrapper, split into Spring Boot's layers (dependencies change
# rarely, the application often), and run on a JRE as a non-root user, with an AOT cache of its start-up.
#   docker build -t roomgate:0.1.0 .
# CI has no Docker engine: k8s/test/image.test.mjs performs this file's extraction and starts its ENTRYPOINT from
# the extracted layout with the Deployment's environment, so keep the `RUN java -Djarmode=tools`, `COPY --from=extract`,
# WORKDIR, USER and ENTRYPOINT lines in the shapes that test reads (it runs them with a local JDK of JAVA_VERSION).

# The code's baseline is Java 17 (the build compiles for it); the image runs on 25 for its AOT cache (JEP 514),
# which the benchmark measures with too.
ARG JAVA_VERSION=25

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
# Training run for the AOT cache: the context starts on a stand-in configuration (all three provider types, so their
# classes load; nothing is called, no port is bound) and the JVM writes what it loaded and linked. A pod then starts
# in about half the time (k8s/README.md, "The image"). The cache is only used with the same JDK and jar, both fixed
# by this image, and module options as in the ENTRYPOINT (a mismatch there disables it); with another GC or other
# flags the JVM ignores it and starts as without one.
RUN SPRING_APPLICATION_JSON='{"server":{"port":0},"management":{"server":{"port":0}},"roomgate":{"providers":{"aot-plugnmeet":{"type":"plugnmeet","base-url":"http://127.0.0.1:9","credentials":{"api-key":"aot-training","api-secret":"aot-training-not-a-secret-0123456789"}},"aot-tencent":{"type":"tencent","base-url":"http://127.0.0.1:9","credentials":{"sdk-app-id":"1400000000","identifier":"administrator","secret-key":"aot-training-not-a-secret-0123456789"}},"aot-videosdk":{"type":"videosdk","base-url":"http://127.0.0.1:9","credentials":{"api-key":"aot-training","secret":"aot-training-not-a-secret-0123456789"}}},"security":{"api-keys":[{"name":"aot-training","sha256":"4f0a9c1d7e8b2a3c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4","permissions":"rooms"}]}}}' \
    java -XX:+UseG1GC --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=/app/roomgate.aot -Dspring.context.exit=onRefresh \
    -jar /app/roomgate.jar
# Numeric, so Kubernetes' runAsNonRoot can verify it; the Deployment runs as the same uid.
USER 10001:10001
EXPOSE 8080 8081
# Configuration: ./config/application.yml (the Deployment mounts its ConfigMap at /app/config). JVM flags come from
# JAVA_TOOL_OPTIONS, set by the Deployment.
ENTRYPOINT ["java", "-XX:AOTCache=/app/roomgate.aot", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/roomgate.jar"]
