#!/usr/bin/env bash
# Sourced by every go4j script: finds a JDK >= 25 and exports JAVA_HOME and PATH for it.
# Order: $JAVA_HOME if it is >= 25, then /usr/lib/jvm/*25* (and any newer JDK there), then `java` on PATH.
go4j_java_major() { # $1 = java binary; prints the feature version
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}
go4j_find_jdk() {
  local cand v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(go4j_java_major "$cand/bin/java")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      printf '%s\n' "$cand"
      return 0
    fi
  done
  return 1
}
if ! GO4J_JDK=$(go4j_find_jdk); then
  echo "go4j: no JDK 25 or newer found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  exit 1
fi
export JAVA_HOME="$GO4J_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
