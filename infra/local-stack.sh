#!/usr/bin/env bash
# The local stack: Azurite (blob, queue, table), the Event Grid emulator and N silo hosts forming one Orleans
# cluster on Azurite's Table service, all on loopback, all state under .local-stack/ at the repository root.
#
#   infra/local-stack.sh up [N]     start Azurite, the event emulator and N silos (default 3); prints the endpoints
#   infra/local-stack.sh status     what is running, and what the emulator watches
#   infra/local-stack.sh down       stop the silos (gracefully), the emulator and Azurite; data stays
#   infra/local-stack.sh down --clean   ... and delete .local-stack/
#
# Ports (override with the variables): Azurite BLOB_PORT=10000 QUEUE_PORT=10001 TABLE_PORT=10002;
# silo i (from 0) listens on SILO_PORT_BASE+i (11111), GATEWAY_PORT_BASE+i (30000), HTTP_PORT_BASE+i (8080).
# Events: the emulator announces the blobs created in the containers EVENT_CONTAINERS (default "landing";
# several separated by spaces or commas) as BlobCreated events on the queue EVENT_QUEUE (default landing-events),
# as an Event Grid subscription would; read them with read_files(..., useNotifications => 'true', queueName => ...).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
stack="$root/.local-stack"
BLOB_PORT="${BLOB_PORT:-10000}"
QUEUE_PORT="${QUEUE_PORT:-10001}"
TABLE_PORT="${TABLE_PORT:-10002}"
SILO_PORT_BASE="${SILO_PORT_BASE:-11111}"
GATEWAY_PORT_BASE="${GATEWAY_PORT_BASE:-30000}"
HTTP_PORT_BASE="${HTTP_PORT_BASE:-8080}"
CLUSTER_ID="${CLUSTER_ID:-local}"
EVENT_CONTAINERS="${EVENT_CONTAINERS:-landing}"
EVENT_QUEUE="${EVENT_QUEUE:-landing-events}"

# Azurite's well-known development account (public, emulator-only).
account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
connection="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$BLOB_PORT/$account;QueueEndpoint=http://127.0.0.1:$QUEUE_PORT/$account;TableEndpoint=http://127.0.0.1:$TABLE_PORT/$account;"

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() { # url seconds what
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    if ((SECONDS > deadline)); then echo "$3 did not come up within $2 s; see $stack/logs" >&2; return 1; fi
    sleep 0.5
  done
}

wait_for_line() { # file text seconds what pidfile
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if ! alive "$5"; then echo "$4 exited; see $1" >&2; return 1; fi
    if ((SECONDS > deadline)); then echo "$4 did not start within $3 s; see $1" >&2; return 1; fi
    sleep 0.5
  done
}

wait_for_port() { # port seconds what
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    if ((SECONDS > deadline)); then echo "$3 did not listen on port $1 within $2 s; see $stack/logs" >&2; return 1; fi
    sleep 0.5
  done
}

up() {
  local silos="${1:-3}"
  [[ "$silos" =~ ^[1-9][0-9]*$ ]] || { echo "up takes a number of silos, not '$silos'" >&2; exit 2; }
  command -v dotnet >/dev/null || { echo "the local stack needs the .NET SDK (dotnet)" >&2; exit 1; }
  command -v node >/dev/null || { echo "the local stack needs Node.js (node and npm) for Azurite" >&2; exit 1; }
  mkdir -p "$stack/logs" "$stack/pids" "$stack/azurite"

  if [[ ! -x "$root/infra/azurite/node_modules/.bin/azurite" ]]; then
    echo "installing Azurite (npm ci in infra/azurite)"
    (cd "$root/infra/azurite" && npm ci --no-audit --no-fund >"$stack/logs/npm.log" 2>&1)
  fi

  echo "building the silo host and the event emulator"
  dotnet publish "$root/src/OrleansStreams.Host" -c Release -o "$stack/silo" --nologo -v quiet >"$stack/logs/publish.log" 2>&1 \
    || { cat "$stack/logs/publish.log" >&2; exit 1; }
  dotnet publish "$root/infra/eventgrid-emulator" -c Release -o "$stack/emulator" --nologo -v quiet >"$stack/logs/publish-emulator.log" 2>&1 \
    || { cat "$stack/logs/publish-emulator.log" >&2; exit 1; }

  if ! alive "$stack/pids/azurite"; then
    node "$root/infra/azurite/node_modules/azurite/dist/src/azurite.js" --location "$stack/azurite" --skipApiVersionCheck --disableTelemetry \
      --blobHost 127.0.0.1 --blobPort "$BLOB_PORT" --queueHost 127.0.0.1 --queuePort "$QUEUE_PORT" --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" \
      >"$stack/logs/azurite.log" 2>&1 &
    echo $! >"$stack/pids/azurite"
  fi
  wait_for_port "$TABLE_PORT" 60 Azurite
  wait_for_port "$BLOB_PORT" 60 Azurite
  wait_for_port "$QUEUE_PORT" 60 Azurite

  if ! alive "$stack/pids/emulator"; then
    local watch=()
    for container in ${EVENT_CONTAINERS//,/ }; do watch+=(--container "$container"); done
    ((${#watch[@]})) || { echo "EVENT_CONTAINERS names no container" >&2; exit 2; }
    : >"$stack/logs/emulator.log"
    (cd "$stack/emulator" && exec dotnet orleans-streams-eventgrid-emulator.dll --queue "$EVENT_QUEUE" "${watch[@]}" --connection-string "$connection" \
      >"$stack/logs/emulator.log" 2>&1) &
    echo $! >"$stack/pids/emulator"
    echo "$EVENT_CONTAINERS -> $EVENT_QUEUE" >"$stack/emulator.watch"
  fi
  wait_for_line "$stack/logs/emulator.log" "Event Grid emulator delivering" 60 "the event emulator" "$stack/pids/emulator"

  for ((i = 0; i < silos; i++)); do
    local pidfile="$stack/pids/silo-$i"
    if alive "$pidfile"; then continue; fi
    (
      cd "$stack/silo"
      export ASPNETCORE_URLS="http://127.0.0.1:$((HTTP_PORT_BASE + i))"
      export DOTNET_ENVIRONMENT=Development
      export OrleansStreams__Cluster__Clustering=AzureTable
      export OrleansStreams__Cluster__ClusterId="$CLUSTER_ID"
      export OrleansStreams__Cluster__AdvertisedIPAddress=127.0.0.1
      export OrleansStreams__Cluster__SiloPort=$((SILO_PORT_BASE + i))
      export OrleansStreams__Cluster__GatewayPort=$((GATEWAY_PORT_BASE + i))
      export OrleansStreams__Storage__ConnectionString="$connection"
      # A running query whose silo dies resumes within failure detection (~15 s by default) plus this period.
      export OrleansStreams__Silo__ResumeReminderPeriod=00:00:30
      exec dotnet OrleansStreams.Host.dll >"$stack/logs/silo-$i.log" 2>&1
    ) &
    echo $! >"$pidfile"
  done
  for ((i = 0; i < silos; i++)); do
    wait_for "http://127.0.0.1:$((HTTP_PORT_BASE + i))/readyz" 180 "silo $i"
  done

  local first="${EVENT_CONTAINERS//,/ }"; first="${first%% *}"
  cat <<INFO
The local stack is up: Azurite, the event emulator and $silos silos in cluster '$CLUSTER_ID'.
  readiness:  http://127.0.0.1:$HTTP_PORT_BASE/readyz ... (one HTTP port per silo from $HTTP_PORT_BASE)
  dashboard:  http://127.0.0.1:$HTTP_PORT_BASE/dashboard/
  events:     blobs created in $(cat "$stack/emulator.watch")
              e.g. read_files('wasbs://$first@$account.blob.core.windows.net/in', useNotifications => 'true', queueName => '$EVENT_QUEUE', ...)
  logs:       $stack/logs
Point a client (orleans-streams queries|status|run --cluster, the SDK's StreamingSession.ConnectAsync) at it with:
  export OrleansStreams__Cluster__Clustering=AzureTable
  export OrleansStreams__Cluster__ClusterId=$CLUSTER_ID
  export OrleansStreams__Storage__ConnectionString='$connection'
INFO
}

status() {
  local any=0
  for pidfile in "$stack"/pids/*; do
    [[ -e "$pidfile" ]] || continue
    any=1
    local what=""
    if [[ "$(basename "$pidfile")" == emulator && -f "$stack/emulator.watch" ]]; then what=", watching $(cat "$stack/emulator.watch")"; fi
    if alive "$pidfile"; then echo "$(basename "$pidfile"): running (pid $(cat "$pidfile"))$what"; else echo "$(basename "$pidfile"): not running"; fi
  done
  ((any)) || echo "nothing started"
}

down() {
  # Silos first, gracefully (SIGTERM: running batches finish or are abandoned for replay), then the emulator, then Azurite.
  local pids=()
  for pidfile in "$stack"/pids/silo-*; do
    [[ -e "$pidfile" ]] || continue
    if alive "$pidfile"; then kill -TERM "$(cat "$pidfile")"; pids+=("$(cat "$pidfile")"); fi
    rm -f "$pidfile"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { echo "silo $pid did not stop in 30 s; killing it"; kill -KILL "$pid"; }
  done
  if alive "$stack/pids/emulator"; then
    local emulator; emulator="$(cat "$stack/pids/emulator")"
    kill -TERM "$emulator"
    for _ in $(seq 1 20); do kill -0 "$emulator" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$emulator" 2>/dev/null && kill -KILL "$emulator"
  fi
  rm -f "$stack/pids/emulator" "$stack/emulator.watch"
  if alive "$stack/pids/azurite"; then kill -TERM "$(cat "$stack/pids/azurite")"; fi
  rm -f "$stack/pids/azurite"
  if [[ "${1:-}" == "--clean" ]]; then rm -rf "$stack"; fi
  echo "the local stack is down"
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  status) status ;;
  down) down "${2:-}" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
