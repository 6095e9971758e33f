# Installs moto into .venv (once) and starts it on a free loopback port: sourced by scripts/test and
# scripts/bench-tail. Sets PORT, MOTO_PID and an EXIT trap that stops it.

MOTO_VERSION="5.2.5"
VENV="${VENV:-.venv}"

if [ ! -x "$VENV/bin/moto_server" ] || ! "$VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    echo "== installing moto[server]==$MOTO_VERSION into $VENV"
    command -v python3 >/dev/null || { echo "the CloudWatch tests need python3 (e.g. apt-get install python3 python3-venv)" >&2; exit 1; }
    python3 -m venv "$VENV" || { echo "python3 cannot make a venv: install python3-venv (e.g. apt-get install python3-venv), then run again" >&2; exit 1; }
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

# A free loopback port: bind to 0 and let the kernel pick.
PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
MOTO_LOG="$(mktemp -t authlogs-moto.XXXXXX.log)"
"$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$MOTO_LOG" 2>&1 &
MOTO_PID=$!
stop_moto() {
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
    rm -f "$MOTO_LOG"
}
trap stop_moto EXIT

for _ in $(seq 1 100); do
    if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/moto-api/', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
        echo "moto_server exited:" >&2
        cat "$MOTO_LOG" >&2
        exit 1
    fi
    sleep 0.2
done
echo "== moto $MOTO_VERSION on 127.0.0.1:$PORT"

