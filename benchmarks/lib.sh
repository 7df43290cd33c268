# Shared by the benchmarks' run.sh scripts (bash): source it once `root` names the repository.

# Prints the home of a JDK 25: JAVA_HOME if it is one, else Temurin's; stops the script if there is none.
jdk25() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
        if [[ -n "$candidate" && -x "$candidate/bin/java" ]] \
            && "$candidate/bin/java" -version 2>&1 | grep -q 'version "25'; then
            echo "$candidate"
            return
        fi
    done
    echo "run.sh: no JDK 25 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/temurin-25-jdk-amd64 missing);" \
         "install Temurin 25 or point JAVA_HOME at a JDK 25" >&2
    exit 2
}

# Prints the runnable image's folder (distribution/target/sedge-*/), building it with ./sedge first if missing.
sedge_image() {
    local image
    image="$(ls -d "$root"/distribution/target/sedge-*/ 2>/dev/null | head -1)"
    if [[ -z "$image" ]]; then
        "$root/sedge" --version >/dev/null
        image="$(ls -d "$root"/distribution/target/sedge-*/ | head -1)"
    fi
    echo "$image"
}
