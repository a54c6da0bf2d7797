#!/usr/bin/env bash
# Agent load benchmark: N concurrent research requests against a fake model (own JVM) answering in D ms per call.
# Usage: bench/agent/run.sh [requests=200] [delay_ms=200] [limits...=50 200]
# Needs JDK 21+ as JAVA_HOME (defaults to the Temurin 25 on the dev machines).
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
args="${*:-200 200 50 200}"
mvn -o -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:exec \
  -Dexec.executable="$JAVA_HOME/bin/java" \
  -Dexec.classpathScope=test \
  -Dexec.args="-Dlogback.configurationFile=bench/agent/logback.xml -cp %classpath dev.quorum.agent.bench.ResearchLoadBenchmark $args"
