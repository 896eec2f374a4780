#!/usr/bin/env bash
# The reference for the AppHost's start-up (docs/performance.md): the same images (the official references), arguments
# and mounts as the AppHost's default graph, started by plain `docker run` on a network of their own, polling the
# same readiness endpoints. Probes runs as its container (the AppHost runs it as a project: here nothing on the host is
# reachable from the containers without binding beyond loopback). Prints "ready <seconds>" when every component
# answers and "started <names>", then removes everything it started. Written by hand: the start-up benchmark fails,
# naming them, when the AppHost ran a container this script does not start.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pin() { awk -v c="$1" '$1 == c { print $2 "/" $3 ":" $4 }' "$repo/eng/images/pins.txt"; }
# Probes' build output (the bench builds Release), run on the official ASP.NET Core runtime image as the AppHost's
# Probes-as-a-container graph runs it (AppHost/Probes).
probes_output=$(ls -d "$repo"/Probes/bin/Release/net*/ "$repo"/Probes/bin/Debug/net*/ 2>/dev/null | head -n1)
[ -n "$probes_output" ] || { echo "no build output of Probes: build it first" >&2; exit 1; }
aspnet="mcr.microsoft.com/dotnet/aspnet:$(basename "$probes_output" | sed 's/^net//')"
id=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
net="bench-plain-$id"
gen=$(mktemp -d); chmod 755 "$gen"
names=()
cleanup() {
  for n in "${names[@]}"; do docker rm -f "$n" >/dev/null 2>&1 || true; done
  docker volume rm -f "$net-prometheus" "$net-alertmanager" "$net-postgres" "$net-pushgateway" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
  rm -rf "$gen"
}
trap cleanup EXIT

# What the AppHost writes: the targets as the Prometheus container sees them (container names on the network).
mkdir -p "$gen/targets"
target() { printf '[{"targets": ["%s"], "labels": {"__metrics_path__": "%s"%s}}]\n' "$1" "${2:-/metrics}" "${3:-}" > "$gen/targets/$4.json"; }
target "prometheus:9090" "" "" prometheus
target "alertmanager:9093" "" "" alertmanager
target "node-exporter:9100" "" "" node
target "pushgateway:9091" "" "" pushgateway
target "postgres-exporter:9187" "" "" postgres
target "probes:8080" "" ', "job": "probes", "kind": "service"' services
for job in kafka airflow blackbox; do echo '[]' > "$gen/targets/$job.json"; done
chmod -R a+r "$gen"
password=$(head -c12 /dev/urandom | od -An -tx1 | tr -d ' \n')

start=$(date +%s.%N)
docker network create "$net" >/dev/null
run() { local name=$1; shift; names+=("$net-$name"); docker run -d --name "$net-$name" --network "$net" --network-alias "$name" "$@" >/dev/null; }
run probes -p 127.0.0.1::8080 -v "$probes_output:/app:ro" -w /app -u 1654 "$aspnet" dotnet /app/Probes.dll
run postgres -p 127.0.0.1::5432 -e POSTGRES_PASSWORD="$password" -e POSTGRES_DB=airflow -v "$net-postgres:/var/lib/postgresql" "$(pin postgres)"
run postgres-exporter -p 127.0.0.1::9187 -e DATA_SOURCE_URI="postgres:5432/postgres?sslmode=disable" -e DATA_SOURCE_USER=postgres \
  -e DATA_SOURCE_PASS="$password" "$(pin postgres-exporter)"
run node-exporter -p 127.0.0.1::9100 --pid=host -v /:/host:ro "$(pin node-exporter)" --path.rootfs=/host
run pushgateway -p 127.0.0.1::9091 -v "$net-pushgateway:/pushgateway" "$(pin pushgateway)" --persistence.file=/pushgateway/metrics
run blackbox-exporter -p 127.0.0.1::9115 -v "$repo/provisioning/blackbox:/etc/blackbox_exporter:ro" "$(pin blackbox-exporter)" \
  --config.file=/etc/blackbox_exporter/config.yml
run alertmanager -p 127.0.0.1::9093 -v "$repo/provisioning/alertmanager:/etc/alertmanager:ro" -v "$net-alertmanager:/alertmanager" \
  "$(pin alertmanager)" --config.file=/etc/alertmanager/alertmanager.yml --storage.path=/alertmanager --cluster.listen-address=
run prometheus -p 127.0.0.1::9090 -v "$repo/provisioning/prometheus:/etc/prometheus:ro" -v "$gen:/aspire:ro" -v "$net-prometheus:/prometheus" \
  "$(pin prometheus)" --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus --storage.tsdb.retention.time=15d --web.enable-lifecycle

url() { echo "http://$(docker port "$net-$1" "$2" | head -n1)$3"; }
ready() {
  case $1 in
    postgres) docker exec "$net-postgres" pg_isready -q -h 127.0.0.1 -U postgres ;;
    *) curl -fs -o /dev/null --max-time 2 "$2" ;;
  esac
}
declare -A probe=(
  [probes]=$(url probes 8080 /health) [postgres]=- [postgres-exporter]=$(url postgres-exporter 9187 /metrics)
  [node-exporter]=$(url node-exporter 9100 /metrics) [pushgateway]=$(url pushgateway 9091 /-/ready)
  [blackbox-exporter]=$(url blackbox-exporter 9115 /-/healthy)
  [alertmanager]=$(url alertmanager 9093 /-/ready) [prometheus]=$(url prometheus 9090 /-/ready))
pending=("${!probe[@]}")
deadline=$(( $(date +%s) + 300 ))
while [ ${#pending[@]} -gt 0 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "not ready within 300 s: ${pending[*]}" >&2; exit 1; }
  still=()
  for c in "${pending[@]}"; do ready "$c" "${probe[$c]}" || still+=("$c"); done
  pending=("${still[@]}")
  [ ${#pending[@]} -eq 0 ] || sleep 0.1
done
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "ready %.2f\n", e - s }'
echo "started ${names[*]//$net-/}"
