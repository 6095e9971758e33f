# Finds headless Chromium for the HTML report's browser test, installing Debian's package when it is
# missing and we are root: sourced by scripts/test. Sets AUTHLOGS_TEST_CHROMIUM.

find_chromium() {
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

if ! CHROMIUM="$(find_chromium)"; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "== installing chromium (Debian package) for the HTML report's browser test"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null
        CHROMIUM="$(find_chromium || true)"
    else
        # scripts/test requires every test (AUTHLOGS_TEST_REQUIRE_SERVERS=1): the browser test fails and
        # says how to install it, nothing is skipped.
        echo "== no Chromium found: the HTML browser test will fail; install it (e.g. sudo apt-get install chromium) or set AUTHLOGS_TEST_CHROMIUM" >&2
        CHROMIUM=""
    fi
fi
export AUTHLOGS_TEST_CHROMIUM="${AUTHLOGS_TEST_CHROMIUM:-$CHROMIUM}"
[ -n "$AUTHLOGS_TEST_CHROMIUM" ] && echo "== chromium: $AUTHLOGS_TEST_CHROMIUM"
