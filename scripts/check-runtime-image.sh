#!/usr/bin/env bash
# Prove the runtime stage of the Dockerfile without a Docker engine.
#
# Builds a root file system that contains only what that stage provides: the release
# binary in /usr/local/bin and the shared libraries ldd lists for it. Each library must
# come from a Debian package that debian:bookworm-slim contains. In a private mount
# namespace the script mounts that root read-only, as `docker run --read-only` does, and
# runs the binary in it through chroot as user 65532:65532, the image's USER. Then it
# checks from outside with curl: the health endpoint and one PUT of the Kapta endpoint.
# It also checks the user id, the `healthcheck` subcommand that HEALTHCHECK runs, and a
# clean exit on SIGTERM, the image's STOPSIGNAL.
#
# Usage: scripts/check-runtime-image.sh [BINARY]   (default .build-release/release/kapta-mock,
# which `make release` builds; `make image-check` runs both). Needs root for mount and chroot.
# The server listens on 127.0.0.1 with a free port instead of the image's 0.0.0.0:8080, so
# the check never exposes it beyond this machine or collides with a server on 8080.
set -euo pipefail

binary=${1:-.build-release/release/kapta-mock}
if [ "$(id -u)" != 0 ]; then
    echo "check-runtime-image: needs root for mount and chroot; run it with sudo" >&2
    exit 1
fi
if [ -z "${KAPTA_IMAGE_CHECK_NAMESPACE:-}" ]; then
    # Mounts made from here on vanish with this process and never show on the host.
    exec env KAPTA_IMAGE_CHECK_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi

# Packages of debian:bookworm-slim that may provide the binary's shared libraries. The
# release build links libstdc++ statically, so libstdc++6 is not among them.
allowed_packages="libc6 libgcc-s1"
user=65532:65532
chroot_command=$(command -v chroot)

work=$(mktemp -d /tmp/kapta-mock-image.XXXXXX)
root=$work/root
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    umount "$root/proc" 2>/dev/null || true
    umount "$root" 2>/dev/null || true
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT

fail() {
    echo "check-runtime-image: FAILED: $*" >&2
    if [ -s "$work/stderr" ]; then
        echo "--- server stderr ---" >&2
        cat "$work/stderr" >&2
    fi
    exit 1
}

echo "== root file system: the binary and the libraries ldd lists"
mkdir -p "$root/usr/local/bin" "$root/proc"
install -m 0755 -s "$binary" "$root/usr/local/bin/kapta-mock"
for library in $(ldd "$binary" | grep -o '/[^ ]*'); do
    # dpkg records the path a package installed, which on merged-/usr systems may be
    # either the /lib spelling ldd prints or the /usr/lib file it resolves to.
    package=$( (dpkg -S "$library" || dpkg -S "$(readlink -f "$library")") 2>/dev/null | head -1 | cut -d: -f1 || true)
    case " $allowed_packages " in
        *" $package "*) echo "  $library ($package)" ;;
        *) fail "$library comes from package '${package:-unknown}', which debian:bookworm-slim does not contain" ;;
    esac
    cp -L --parents "$library" "$root"
done
du -sh "$root" | sed 's/^/  total: /'

echo "== read-only root, user $user"
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount -t proc proc "$root/proc"
if touch "$root/probe" 2>/dev/null; then
    fail "the root file system is writable"
fi

env -i KAPTA_MOCK_HOST=127.0.0.1 KAPTA_MOCK_PORT=0 \
    "$chroot_command" --userspec=$user "$root" /usr/local/bin/kapta-mock >"$work/stdout" 2>"$work/stderr" &
server_pid=$!

url=""
for _ in $(seq 1 500); do
    if [ -s "$work/stdout" ] && [ "$(tail -c 1 "$work/stdout" | od -An -c | tr -d ' ')" = '\n' ]; then
        url=$(head -n 1 "$work/stdout")
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited before it was ready"
    sleep 0.01
done
[ -n "$url" ] || fail "no ready line within 5 s"
echo "  ready line: $url"
[[ $url =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || fail "unexpected ready line '$url'"

server_uid=$(awk '/^Uid:/ { print $2 }' "/proc/$server_pid/status")
[ "$server_uid" = 65532 ] || fail "the server runs as uid $server_uid, not 65532"
echo "  running as uid $server_uid"

echo "== requests from outside the root"
health=$(curl -sS --max-time 5 -w ' %{http_code}' "$url/__admin/health")
echo "  GET /__admin/health -> $health"
[[ $health == *'"status":"ok"'*' 200' ]] || fail "health check answered '$health'"

body='{"OpportunityID":"OPP-2001","Name":"Renewal 2027","CloseDate":"2027-03-31T00:00:00+00:00","Value":125000.50,"Stage":"Negotiation"}'
put_status=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -X PUT \
    -H 'Authorization: token alice-token' -H 'Content-Type: application/json' --data-binary "$body" \
    "$url/v1/account/ACC-1001/opportunity/OPP-2001")
echo "  PUT /v1/account/ACC-1001/opportunity/OPP-2001 -> $put_status"
[ "$put_status" = 200 ] || fail "the PUT answered $put_status, expected 200"

env -i "$chroot_command" --userspec=$user "$root" /usr/local/bin/kapta-mock healthcheck "$url" \
    || fail "the healthcheck subcommand failed inside the root"
echo "  kapta-mock healthcheck -> exit 0"

echo "== SIGTERM"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" = 0 ] || fail "the server exited with $status after SIGTERM"
[ "$(wc -l <"$work/stdout")" = 1 ] || fail "stdout has more than the ready line"
echo "  exit 0"
echo "check-runtime-image: OK"
