# Sourced by ./quorum, .ci/run and bench/run.sh: points JAVA_HOME (and PATH) at a JDK 21 or newer,
# or says in one line what to install and exits 1.
#
# The first JDK 21+ wins, in this order: JAVA_HOME, the java on PATH, then the folders JDKs are
# usually installed in (QUORUM_JDK_DIRS, default below: Debian/Ubuntu/Fedora, Docker images,
# SDKMAN, macOS). A JRE (no javac) does not count: Quorum is built with Maven before it runs. The
# common case this exists for: JAVA_HOME unset, java on PATH 17, a JDK 25 beside it in /usr/lib/jvm.
#
# POSIX sh, safe under `set -eu` and bash's `set -o pipefail`; the names it defines start with quorum_.

# The feature version of the java in folder $1 ("17", "21", "25"), or nothing when it has none.
quorum_java_version() {
  [ -x "$1/bin/java" ] || return 0
  # awk reads all of it (no early exit) so java never dies of SIGPIPE; a java that fails prints nothing.
  { "$1/bin/java" -version 2>&1 || :; } | awk -F'"' '
    /version/ && !found { split($2, v, "."); m = (v[1] == "1" ? v[2] : v[1]); sub(/[^0-9].*/, "", m); print m; found = 1 }'
}

# True when folder $1 is a JDK (java and javac) of version 21 or newer.
quorum_is_jdk21() {
  [ -x "$1/bin/javac" ] || return 1
  quorum_v=$(quorum_java_version "$1")
  [ -n "$quorum_v" ] && [ "$quorum_v" -ge 21 ]
}

# How the folder $1 falls short, for the error line: "17", "21 without javac (a JRE)", "not a JDK".
quorum_describe_java() {
  quorum_v=$(quorum_java_version "$1")
  if [ -z "$quorum_v" ]; then echo "not a JDK"
  elif [ ! -x "$1/bin/javac" ]; then echo "$quorum_v without javac (a JRE)"
  else echo "$quorum_v"; fi
}

# "apt-get install <$1>", "brew install <$2>" or "dnf install <$3>", whichever this machine has; else nothing.
quorum_install_command() {
  if [ "$(uname -s 2>/dev/null)" = Darwin ] && command -v brew >/dev/null 2>&1; then echo "brew install $2"
  elif command -v apt-get >/dev/null 2>&1; then echo "apt-get install $1"
  elif command -v dnf >/dev/null 2>&1; then echo "dnf install $3"
  fi
}

quorum_path_java=""
if command -v java >/dev/null 2>&1; then
  quorum_path_java=$(command -v java)
  quorum_path_java=$(readlink -f "$quorum_path_java" 2>/dev/null || echo "$quorum_path_java")
  quorum_path_java=$(dirname "$(dirname "$quorum_path_java")")
fi

quorum_jdk=""
if [ -n "${JAVA_HOME:-}" ] && quorum_is_jdk21 "$JAVA_HOME"; then
  quorum_jdk="$JAVA_HOME"
elif [ -n "$quorum_path_java" ] && quorum_is_jdk21 "$quorum_path_java"; then
  quorum_jdk="$quorum_path_java"
else
  for quorum_dir in ${QUORUM_JDK_DIRS:-/usr/lib/jvm /opt/java ${HOME:-/nonexistent}/.sdkman/candidates/java /Library/Java/JavaVirtualMachines}; do
    for quorum_candidate in "$quorum_dir"/*; do
      [ -d "$quorum_candidate/Contents/Home" ] && quorum_candidate="$quorum_candidate/Contents/Home" # macOS bundles
      if quorum_is_jdk21 "$quorum_candidate"; then quorum_jdk="$quorum_candidate"; break 2; fi
    done
  done
fi

if [ -z "$quorum_jdk" ]; then
  quorum_seen=""
  [ -n "${JAVA_HOME:-}" ] && quorum_seen="JAVA_HOME is $(quorum_describe_java "$JAVA_HOME"), "
  if [ -n "$quorum_path_java" ]; then quorum_seen="${quorum_seen}java on PATH is $(quorum_describe_java "$quorum_path_java")"
  else quorum_seen="${quorum_seen}no java on PATH"; fi
  quorum_how=$(quorum_install_command openjdk-21-jdk openjdk@21 java-21-openjdk-devel)
  echo "Quorum needs a JDK 21 or newer; none found ($quorum_seen). Install one, e.g. ${quorum_how:-from https://adoptium.net}, or set JAVA_HOME." >&2
  exit 1
fi

JAVA_HOME="$quorum_jdk"
PATH="$JAVA_HOME/bin:$PATH"
export JAVA_HOME PATH

# Maven 3 on JDK 24+ prints four lines "sun.misc.Unsafe::objectFieldOffset has been called by
# com.google.common...AbstractFuture" (Maven's own Guava, not Quorum) at every start; the flag
# that allows it exists from JDK 23 on, and an older JDK would refuse to start with it.
if [ "$(quorum_java_version "$JAVA_HOME")" -ge 23 ]; then
  case " ${MAVEN_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access="*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
