# Sourced by .ci/run and bench/run.sh: makes JAVA_HOME a JDK 21 or newer when the current one is
# older (this machine's default java is 17; a Temurin 25 sits beside it).
java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}
current_home="${JAVA_HOME:-}"
if [ -z "$current_home" ] && command -v java >/dev/null 2>&1; then
  current_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
if [ -z "$current_home" ] || [ "$(java_major "$current_home")" -lt 21 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/*/ /opt/java/*/ "$HOME"/.sdkman/candidates/java/*/; do
    [ -x "${candidate}bin/java" ] || continue
    if [ "$(java_major "${candidate%/}")" -ge 21 ] 2>/dev/null; then current_home="${candidate%/}"; break; fi
  done
fi
if [ -z "$current_home" ] || [ "$(java_major "$current_home")" -lt 21 ] 2>/dev/null; then
  echo "Quorum needs a JDK 21 or newer; none found. Install one and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME="$current_home"
export PATH="$JAVA_HOME/bin:$PATH"
