# Shared settings and helpers for the ops/ scripts. Sourced, not run.
# Everything is overridable from the environment; defaults avoid the standard
# ports so a system PostgreSQL or Redis on this machine cannot collide.

ILC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ILC_STATE_DIR="${ILC_STATE_DIR:-$ILC_ROOT/.ilc}"
ILC_PG_PORT="${ILC_PG_PORT:-55432}"
ILC_REDIS_PORT="${ILC_REDIS_PORT:-56379}"
ILC_PG_DATABASE="${ILC_PG_DATABASE:-ilc}"
ILC_PG_OWNER="${ILC_PG_OWNER:-ilc_owner}"
ILC_PG_APP="${ILC_PG_APP:-ilc_app}"

ilc_log() { printf '%s\n' "ops: $*" >&2; }
ilc_die() { printf '%s\n' "ops: error: $*" >&2; exit 1; }

ilc_is_root() { [ "$(id -u)" = "0" ]; }

# Runs a command as root: directly when root, else through sudo.
ilc_privileged() {
    if ilc_is_root; then
        "$@"
    else
        command -v sudo >/dev/null || ilc_die "need root or sudo for: $*"
        sudo "$@"
    fi
}

# Installs the Debian packages given that are missing. Succeeds (0) when it installed
# something, 1 when everything was there already.
ilc_ensure_packages() {
    local missing=() package
    for package in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -gt 0 ] || return 1
    ilc_log "installing ${missing[*]}"
    ilc_privileged env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    ilc_privileged env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# PostgreSQL 15 binaries live outside PATH on Debian.
ilc_pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then printf '%s\n' "$dir"; return 0; fi
    done
    return 1
}

# initdb and postgres refuse to run as root: as root they run as the
# `postgres` system user, otherwise as the calling user.
ilc_as_pg_user() {
    if ilc_is_root; then
        # From / : the postgres user may not be allowed into the working directory.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# The pinned PyPI tools of the API's contract test and of ops/verify's fuzzing.
ILC_CONTRACT_TOOLS=("schemathesis==4.32.5" "openapi-spec-validator==0.9.0")

# A virtual environment of the project's own, $ILC_STATE_DIR/NAME, holding the pinned
# PyPI packages given; (re)installed when missing or when the pins change. Prints its
# path. Usage: venv="$(ilc_venv NAME package==version…)"
ilc_venv() {
    local name="$1"
    shift
    local venv="$ILC_STATE_DIR/$name"
    if [ "$(cat "$venv/.pins" 2>/dev/null)" != "$*" ]; then
        ilc_log "installing $* into $venv"
        python3 -m venv "$venv" 2>/dev/null \
            || { rm -rf "$venv"; python3 -m pip install -q --user virtualenv >&2 && python3 -m virtualenv -q "$venv" >&2; }
        "$venv/bin/pip" install -q --disable-pip-version-check "$@" >&2
        printf '%s' "$*" >"$venv/.pins"
    fi
    printf '%s\n' "$venv"
}

# Sets up, starts PostgreSQL and Redis, builds (release unless ILC_BUILD_CONFIGURATION
# says otherwise) and migrates; leaves the binaries' directory in ILC_BIN.
ilc_prepare() {
    "$ILC_ROOT/ops/setup"
    "$ILC_ROOT/ops/services" up
    eval "$("$ILC_ROOT/ops/services" env)"
    local configuration="${ILC_BUILD_CONFIGURATION:-release}"
    swift build -c "$configuration"
    ILC_BIN="$(swift build -c "$configuration" --show-bin-path)"
    "$ILC_BIN/ilc" migrate
}

# Starts ilc-api and ILC_WORKERS ilc-worker processes in the background (their pids in
# ILC_PIDS) and waits until the API answers. Their logs go to the terminal, or to
# ILC_LOG_DIR/{api,worker-N}.log when that is set. The settings keep the values used
# (defaults filled in) for the caller's messages. ilc_stop_processes stops them gracefully.
ilc_start_processes() {
    export ILC_WORKERS="${ILC_WORKERS:-2}" ILC_WORKER_CONCURRENCY="${ILC_WORKER_CONCURRENCY:-32}"
    export ILC_METRICS_PORT="${ILC_METRICS_PORT:-9464}"
    export ILC_HTTP_HOST="${ILC_HTTP_HOST:-127.0.0.1}" ILC_HTTP_PORT="${ILC_HTTP_PORT:-8080}"
    ILC_PIDS=()
    ilc_launch api "$ILC_BIN/ilc-api"
    local index
    for index in $(seq 0 $((ILC_WORKERS - 1))); do
        ilc_launch "worker-$index" "$ILC_BIN/ilc-worker" --concurrency "$ILC_WORKER_CONCURRENCY" \
            --metrics-port $((ILC_METRICS_PORT + index)) --id "$(hostname)-worker-$index"
    done
    local tries=0
    until curl -fsS "http://$ILC_HTTP_HOST:$ILC_HTTP_PORT/readyz" >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 300 ] || ilc_die "ilc-api did not become ready on $ILC_HTTP_HOST:$ILC_HTTP_PORT"
        sleep 0.1
    done
}

# Runs a command in the background, its output to ILC_LOG_DIR/NAME.log when set.
ilc_launch() {
    local name="$1"
    shift
    if [ -n "${ILC_LOG_DIR:-}" ]; then
        mkdir -p "$ILC_LOG_DIR"
        "$@" >>"$ILC_LOG_DIR/$name.log" 2>&1 &
    else
        "$@" &
    fi
    ILC_PIDS+=("$!")
}

ilc_stop_processes() {
    ilc_log "stopping: requests in flight and running jobs finish first"
    local pid
    for pid in "${ILC_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait "${ILC_PIDS[@]}" 2>/dev/null || true
}
