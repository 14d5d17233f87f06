#!/usr/bin/env bash
# Starts packaging/coffer.service under a real systemd, on a machine whose PID 1 is not systemd
# (issue 14): a Debian bookworm root made with debootstrap, booted with systemd-nspawn, the
# single-file executable and the unit installed in it as docs/operations.md says, then
# `systemctl enable --now coffer`, readiness, `coffer status`, the journal, `systemd-analyze
# security` and a check of where the service may write. Needs root, debootstrap and
# systemd-container. The container shares the host's network: nothing else may listen on 4599.
#   tools/systemd-try.sh out/linux-x64/coffer [root-dir]     # root-dir: /var/lib/machines/coffer-try
# A root dir that already holds systemd is reused; the machine is powered off at the end
# (KEEP=1 leaves it running and prints how to reach it).
set -euo pipefail
cd "$(dirname "$0")/.."
exe=$(readlink -f "$1")
root=${2:-/var/lib/machines/coffer-try}
mirror=${MIRROR:-http://deb.debian.org/debian}

if [ ! -x "$root/lib/systemd/systemd" ]; then
  debootstrap --include=systemd,systemd-sysv,dbus,curl,ca-certificates,libssl3,libicu72,zlib1g bookworm "$root" "$mirror"
fi
echo coffer-try > "$root/etc/hostname"

# Not registered with a machined (there is none without systemd as PID 1), in this process's cgroup.
systemd-nspawn --register=no --keep-unit -D "$root" -b --console=pipe > "$root.console.log" 2>&1 &
nspawn=$!
trap '[ "${KEEP:-0}" = 1 ] || { kill "$nspawn" 2>/dev/null || true; }' EXIT
for _ in $(seq 120); do
  leader=$(pgrep -P "$nspawn" -x systemd || true)
  [ -n "$leader" ] && state=$(nsenter -t "$leader" -a systemctl is-system-running 2>/dev/null || true) && [[ "$state" =~ running|degraded ]] && break
  sleep 0.5
done
[ -n "${leader:-}" ] || { echo "systemd did not boot in the container:"; cat "$root.console.log"; exit 1; }
inside() { nsenter -t "$leader" -a "$@"; }
echo "== booted: systemd $(inside systemctl --version | head -1 | cut -d' ' -f2), $(inside systemctl is-system-running)"

# docs/operations.md, "With systemd", as written there. A reused root may have started an older
# install at boot: stopped first, since a bundle replaced under a running process fails to load.
inside systemctl stop coffer 2>/dev/null || true
install -m 0755 "$exe" "$root/usr/local/bin/coffer"
install -m 0644 packaging/coffer.service "$root/etc/systemd/system/coffer.service"
inside id coffer >/dev/null 2>&1 || inside useradd --system --user-group --no-create-home --shell /usr/sbin/nologin coffer
inside systemctl daemon-reload
inside systemctl enable --now coffer

ca=/var/lib/coffer/tls/ca.pem
for _ in $(seq 120); do
  code=$(inside curl -s -o /dev/null -w '%{http_code}' --cacert $ca https://127.0.0.1:4599/_coffer/health/ready 2>/dev/null || true)
  [ "$code" = 200 ] && break
  sleep 0.5
done
echo "== readiness: $code"
inside curl -s --cacert $ca https://127.0.0.1:4599/_coffer/health/ready; echo
echo "== systemctl status coffer"
inside systemctl status coffer --no-pager -n 0 || true
echo "== coffer status"
inside env AWS_CA_BUNDLE=$ca DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp coffer status || true
echo "== journalctl -u coffer -b (this boot, lines cut at 160 characters)"
inside journalctl -u coffer -b -o cat --no-pager -n 20 | cut -c1-160
echo "== systemd-analyze security coffer"
inside systemd-analyze security coffer --no-pager | grep -v '^✓' || true

# Where may the service write? Tried in its own mount namespace, as its user.
pid=$(inside systemctl show -p MainPID --value coffer)
echo "== writable for the service (pid $pid)"
for d in /var/lib/coffer /var/cache/coffer /tmp /etc /usr/local/bin /var/lib /opt /root /home; do
  if inside nsenter -t "$pid" -m setpriv --reuid coffer --regid coffer --clear-groups sh -c "touch $d/.coffer-probe && rm $d/.coffer-probe" 2>/dev/null; then
    echo "  $d: writable"
  else
    echo "  $d: not writable"
  fi
done
inside nsenter -t "$pid" -m touch /tmp/.coffer-private
[ -e "$root/tmp/.coffer-private" ] && echo "  /tmp: shared with the system" || echo "  /tmp: private to the service"

if [ "${KEEP:-0}" = 1 ]; then
  echo "== left running: nsenter -t $leader -a systemctl status coffer   (stop: kill $nspawn)"
else
  inside systemctl poweroff || true
  wait "$nspawn" || true
fi
