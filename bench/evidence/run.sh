#!/bin/sh
# Benchmarks Quorum's JUnit XML parser against a bare StAX pass; see README.md beside this file.
# Needs a JDK 21 or newer: JAVA_HOME, else the java on PATH.
set -e
cd "$(dirname "$0")/../.."
mvn -o -q test-compile
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -Xms128m -Xmx128m -cp target/classes:target/test-classes dev.quorum.evidence.bench.ParserBenchmark "$@"
