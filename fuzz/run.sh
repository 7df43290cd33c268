#!/usr/bin/env bash
# The long fuzzing campaign (docs/reliability.md): every reader, or the ones named, to 10^6 inputs
# each (or --runs N, or --seconds S), one JVM per target, one target at a time. Prints a Markdown
# table of inputs run and their rate; exits 1 if any target had a finding, which stays in
# fuzz/target/fuzz/<target>/findings (copy it to fuzz/regressions/<target>/ once fixed). The corpus
# each target grows is kept in fuzz/target/fuzz/<target>/corpus and resumed from on the next run.
#
#   fuzz/run.sh                          # all targets, 10^6 inputs each (about an hour on 2 cores)
#   fuzz/run.sh --seconds 60 pt pickle   # a minute each of the .pt reader and the unpickler
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
./mvnw -q --batch-mode install -DskipTests -pl platform-core,plugin-formats -am
./mvnw -q --batch-mode test-compile -pl fuzz
java=""
for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [[ -x "$home/bin/java" ]] && "$home/bin/java" -version 2>&1 | grep -q 'version "\(2[5-9]\|[3-9][0-9]\)'; then
    java="$home/bin/java"; break
  fi
done
[[ -n "$java" ]] || { echo "fuzz/run.sh: needs a JDK 25 (set JAVA_HOME)" >&2; exit 2; }
exec "$java" -cp "fuzz/target/test-classes:$(cat fuzz/target/fuzz.classpath)" \
  -Dsedge.fuzz.repo="$repo" -Dsedge.fuzz.classpath="$repo/fuzz/target/fuzz.classpath" \
  -Dsedge.fuzz.work="$repo/fuzz/target/fuzz" \
  dev.sedge.fuzz.FuzzCampaign "$@"
