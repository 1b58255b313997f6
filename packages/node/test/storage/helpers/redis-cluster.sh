#!/usr/bin/env bash
# The local Redis Cluster the storage tests use: six redis-server processes on 127.0.0.1:7000-7005,
# three masters with one replica each. Called by .ci/run and by the tests themselves.
#
#   redis-cluster.sh start        reuse a healthy cluster, else start one from nothing; waits for cluster_state:ok
#   redis-cluster.sh node PORT    start one node again with its kept identity (it rejoins, as a replica
#                                 when its slots moved while it was down)
#   redis-cluster.sh wait         wait (up to 60 s) until the six nodes are healthy again
#
# Only ports 7000-7005 on 127.0.0.1 are touched; nothing is saved to disk but the cluster config files,
# kept in $TESSERA_REDIS_CLUSTER_DIR (default: <tmp>/tessera-redis-cluster). Every wait is bounded.
set -euo pipefail

PORTS=(7000 7001 7002 7003 7004 7005)
DIR="${TESSERA_REDIS_CLUSTER_DIR:-${TMPDIR:-/tmp}/tessera-redis-cluster}"
mkdir -p "$DIR"

cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}" 2>/dev/null; }

# One node with its fixed options; its node id lives in nodes-<port>.conf. A replica's full sync still
# writes an RDB file (whatever --save says): one per port, or a restarted node would load another
# node's keys. The daemon must not inherit the lock's descriptor (9), or it would hold the lock for
# its whole life.
start_node() {
  redis-server --port "$1" --bind 127.0.0.1 --daemonize yes \
    --cluster-enabled yes --cluster-config-file "$DIR/nodes-$1.conf" --cluster-node-timeout 2000 \
    --save '' --appendonly no --dir "$DIR" --dbfilename "dump-$1.rdb" \
    --logfile "$DIR/redis-$1.log" --pidfile "$DIR/redis-$1.pid" 9>&-
}

# Healthy: every node answers, sees cluster_state:ok and six known nodes, three of them masters with
# slots, and every replica's link to its master is up (a replica still syncing, or just restarted,
# refuses to take over when its master dies: cluster-replica-validity-factor).
healthy() {
  local port info
  for port in "${PORTS[@]}"; do
    info="$(cli "$port" cluster info)" || return 1
    grep -q '^cluster_state:ok' <<<"$info" || return 1
    grep -q '^cluster_known_nodes:6' <<<"$info" || return 1
    grep -q '^cluster_size:3' <<<"$info" || return 1
    info="$(cli "$port" info replication)" || return 1
    if grep -q '^role:slave' <<<"$info"; then grep -q '^master_link_status:up' <<<"$info" || return 1; fi
  done
  [ "$(cli 7000 cluster nodes | grep -v fail | grep -c 'connected')" = 6 ] || return 1
}

# Waits up to $2 seconds for $1 (a function name) to succeed.
wait_for() {
  local deadline=$((SECONDS + $2))
  until "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

all_answer() {
  local port
  for port in "${PORTS[@]}"; do cli "$port" ping | grep -q PONG || return 1; done
}

start() {
  if healthy; then
    echo "redis cluster: reusing the healthy cluster on 127.0.0.1:${PORTS[0]}-${PORTS[5]}"
    return 0
  fi
  echo "redis cluster: starting six nodes on 127.0.0.1:${PORTS[0]}-${PORTS[5]} (files in $DIR)"
  local port
  for port in "${PORTS[@]}"; do
    cli "$port" shutdown nosave >/dev/null || true
  done
  for port in "${PORTS[@]}"; do
    for _ in $(seq 1 50); do cli "$port" ping >/dev/null || break; sleep 0.1; done
    rm -f "$DIR/nodes-$port.conf" "$DIR/redis-$port.pid" "$DIR/dump-$port.rdb"
  done
  for port in "${PORTS[@]}"; do start_node "$port"; done
  wait_for all_answer 20 || { echo "redis cluster: the nodes did not start (see $DIR/redis-*.log)" >&2; return 1; }
  local nodes=()
  for port in "${PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/create.log" 2>&1 ||
    { cat "$DIR/create.log" >&2; return 1; }
  wait_for healthy 60 || { echo "redis cluster: no cluster_state:ok within 60 s" >&2; return 1; }
  echo "redis cluster: ready"
}

command -v redis-server >/dev/null && command -v redis-cli >/dev/null ||
  { echo "redis cluster: redis-server and redis-cli must be on the PATH" >&2; exit 1; }

case "${1:-}" in
  start)
    # One starter at a time: two test runs (or CI and a test) may ask at once.
    exec 9>"$DIR/lock"
    flock -w 120 9 || { echo "redis cluster: another start holds $DIR/lock" >&2; exit 1; }
    start
    ;;
  wait)
    wait_for healthy 60 || { echo "redis cluster: not healthy within 60 s" >&2; exit 1; }
    ;;
  node)
    [[ " ${PORTS[*]} " == *" ${2:-} "* ]] || { echo "usage: $0 node <one of ${PORTS[*]}>" >&2; exit 2; }
    start_node "$2"
    ;;
  *)
    echo "usage: $0 start | wait | node PORT" >&2
    exit 2
    ;;
esac
