# Shared by bin/lemming and bin/test: find a JDK >= 22 and make sure Maven is there.
# Sourced, not run.

LEMMING_MIN_JDK=22

# The major version of the java binary $1 (17, 22, 25 ...), or nothing. A JDK's `release` file
# says it without starting a JVM (about 50 ms a candidate, paid at every launch).
lemming_java_major() {
  local release version
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$release" 2>/dev/null | head -1)
  [ -n "$version" ] || version=$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  echo "$version" | awk -F. '{ if ($1 == "1") print $2; else print $1 }'
}

# Prints the home of a JDK >= 22: JAVA_HOME if it is one, else the newest installed one.
lemming_find_jdk() {
  local seen="" best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(lemming_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$LEMMING_MIN_JDK" ]; then echo "$JAVA_HOME"; return 0; fi
    seen="$seen $major ($JAVA_HOME)"
  fi
  local candidates=()
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/jdk* /usr/local/java/*; do
    [ -x "$home/bin/java" ] && candidates+=("$home")
  done
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
  fi
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/javac" ] || continue
    major=$(lemming_java_major "$home/bin/java")
    [ -n "$major" ] || continue
    seen="$seen $major ($home)"
    if [ "$major" -ge "$LEMMING_MIN_JDK" ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    echo "lemming: needs a JDK $LEMMING_MIN_JDK or newer (found:${seen:- none}); install one (for example Temurin 25) and set JAVA_HOME to it" >&2
    return 1
  fi
  echo "$best"
}

# Installs Debian packages that are missing (needs root, as on the project's machines).
lemming_apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "lemming: missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
  echo "lemming: installing ${missing[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2
}

lemming_ensure_maven() {
  command -v mvn >/dev/null 2>&1 || lemming_apt_install maven
  # the JIT's Keystone (WebAssembly) comes from npm during the build
  command -v npm >/dev/null 2>&1 || lemming_apt_install npm
}
