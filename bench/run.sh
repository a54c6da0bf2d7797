#!/usr/bin/env bash
# Runs Quorum's benchmarks: bench/run.sh [name ...]   (no name: all of them)
# Each prints Quorum's numbers side by side with a floor measured in the same run, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pick-jdk.sh
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
mkdir -p bench/results
exec java -Xmx2g -Dlogback.configurationFile=bench/logback.xml -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.quorum.bench.Benchmarks "$@"
