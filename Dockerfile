# Build: the same Maven build as on a laptop.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY config config
RUN mvn -B -q package -DskipTests

# Run: Java 21 with redis-server, so the embedded default works in the container too. The image
# is a JDK with Maven and git rather than a bare JRE because Quorum runs the tests of the
# repositories it guards (the demo repo is a Maven project), in bubblewrap's sandbox; see README
# "Docker" (the container needs user namespaces: docker run --security-opt seccomp=unconfined).
FROM eclipse-temurin:21-jdk
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server git maven curl bubblewrap \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 quorum
WORKDIR /app
COPY --from=build /src/target/quorum.jar /app/quorum.jar
COPY config /app/config
RUN mkdir -p /app/data && chown -R quorum /app
USER quorum
ENV QUORUM_DATA=/app/data
# A container is reachable only on 0.0.0.0, and demo mode (the shipped config: anyone may act as
# anyone) refuses a non-loopback bind unless this opt-in is set; Quorum logs a WARN line at every
# start. Publish the port on the host's loopback only: docker run -p 127.0.0.1:8080:8080 ...
# For a real deployment mount a config with console.demo: false and tokens (README "Docker").
ENV QUORUM_HTTP_HOST=0.0.0.0 \
    QUORUM_DEMO_ON_ALL_ADDRESSES=true
VOLUME /app/data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s CMD curl -fs http://localhost:8080/health || exit 1
ENTRYPOINT ["java", "-jar", "/app/quorum.jar"]
