#!/usr/bin/env bash
# Dealer, party 0 and party 1 as three "hosts": three network namespaces on a bridge, each process
# reaching the others by IP address only, over mutual TLS. Optionally shapes every host's link
# with netem (delay per direction, rate). Needs root (ip netns, tc) and built jars.
#
#   sudo scripts/netns-three-hosts.sh [--model tiny-pkn] [--delay-ms 0] [--rate-mbit 0] [--inferences 1]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
model=tiny-pkn; delay=0; rate=0; inferences=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --delay-ms) delay="$2"; shift 2 ;;
    --rate-mbit) rate="$2"; shift 2 ;;
    --inferences) inferences="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for jar in dealer/target/polyshare-dealer.jar party/target/polyshare-party.jar; do
  [[ -f "$root/$jar" ]] || { echo "$jar is not built: mvn -q -DskipTests package" >&2; exit 1; }
done
command -v ip >/dev/null || { echo "needs iproute2 (ip)" >&2; exit 1; }

id=$$
names=(dealer party0 party1)
ips=(10.77.0.1 10.77.0.2 10.77.0.3)
br="psbr$id"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  for i in 0 1 2; do ip netns del "ps$i-$id" 2>/dev/null || true; done
  ip link del "$br" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip link add "$br" type bridge
ip link set "$br" up
for i in 0 1 2; do
  ns="ps$i-$id"
  ip netns add "$ns"
  ip link add "v$i-$id" type veth peer name "e$i-$id"
  ip link set "e$i-$id" netns "$ns"
  ip link set "v$i-$id" master "$br" up
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip addr add "${ips[$i]}/24" dev "e$i-$id"
  ip netns exec "$ns" ip link set "e$i-$id" up
  if [[ "$delay" != 0 || "$rate" != 0 ]]; then
    shape=(netem)
    [[ "$delay" != 0 ]] && shape+=(delay "${delay}ms")
    [[ "$rate" != 0 ]] && shape+=(rate "${rate}mbit")
    ip netns exec "$ns" tc qdisc add dev "e$i-$id" root "${shape[@]}" || {
      echo "cannot shape the link: this kernel has no netem qdisc (sch_netem); run without --delay-ms/--rate-mbit" >&2
      exit 1
    }
  fi
done
echo "hosts: dealer ${ips[0]}, party 0 ${ips[1]}, party 1 ${ips[2]} (delay ${delay} ms, rate ${rate} Mbit/s; 0 = unshaped)"

"$root/bin/dealer" certs --out "$work/certs" --hosts "$(IFS=,; echo "${ips[*]}")" >/dev/null
ip netns exec "ps0-$id" "$root/bin/dealer" serve --port 7100 --certs "$work/certs" > "$work/dealer.log" 2>&1 &
pids+=($!)
ip netns exec "ps1-$id" "$root/bin/party" run --id 0 --listen 7200 --dealer "${ips[0]}:7100" --certs "$work/certs" \
  --model "$model" --session netns --inferences "$inferences" --json "$work/party0.json" > "$work/party0.log" 2>&1 &
pids+=($!)
p0=$!
set +e
ip netns exec "ps2-$id" "$root/bin/party" run --id 1 --peer "${ips[1]}:7200" --dealer "${ips[0]}:7100" \
  --certs "$work/certs" --model "$model" --session netns --inferences "$inferences" --json "$work/party1.json"
rc=$?
wait "$p0"; rc0=$?
set -e
echo "--- party 0"; cat "$work/party0.log"
echo "--- dealer"; cat "$work/dealer.log"
echo "--- party 1 report"; cat "$work/party1.json" 2>/dev/null || true
[[ $rc == 0 && $rc0 == 0 ]] || { echo "FAILED (party 1 rc=$rc, party 0 rc=$rc0)" >&2; exit 1; }
echo "OK: three hosts, mutual TLS, secure inference of $model"
