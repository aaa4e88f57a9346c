#!/usr/bin/env bash
# CPU per confirmed order of two platforms measured side by side, in the same minutes on the same
# machine: "A" (a checkout of the commit before, started with EMPORIUM_PORT_OFFSET=5000) and "B" (this
# checkout). A change is judged by the ratio B / A, which a noisy machine affects much less than
# figures from two runs one after the other. See docs/performance.md, "Side by side".
#
# Start both first, the same way, e.g.:
#   git worktree add /tmp/before <commit> && (cd /tmp/before && ./emporium build) && ./emporium build
#   export EMPORIUM_AOT=off EMPORIUM_TRACE_SAMPLING=0.1 EMPORIUM_RATE_LIMIT_PER_ADDRESS=1000000 EMPORIUM_RATE_LIMIT_PER_USER=1000000 \
#          EMPORIUM_GATEWAY_RATELIMITS_LOGIN_CAPACITY=1000000 EMPORIUM_GATEWAY_RATELIMITS_LOGIN_PERPERIOD=1000000 \
#          EMPORIUM_RATE_LIMIT_REGISTRATIONS=1000000
#   (cd /tmp/before && EMPORIUM_PORT_OFFSET=5000 ./emporium up) &   # once it says "ready":
#   EMPORIUM_HOME=/tmp/after ./emporium up &
# (each platform starts once its build is done: two builds of one checkout at the same time collide)
# then: tools/benchmark/side-by-side/run.sh /tmp/before /tmp/after [orders/s, default 7] [--ramp]
# (--ramp: a warm-up rising to the rate over 150 s, not measured)
set -euo pipefail
before=${1:?the checkout of platform A}; after_home=${2:?the EMPORIUM_HOME of platform B}
rate=${3:-7}; ramp=${4:-}
cd "$(dirname "$0")/../../.."
here=$(dirname "$0"); results=$(mktemp -d)
export JAVA_HOME; JAVA_HOME=$(./emporium jdk)   # Gatling runs on the JDK the platform runs on
load() { # $1 = A or B, $2 = seconds, $3 = ramp true/false
  local gateway=http://localhost:8080 password=$after_home/admin-password
  [ "$1" = A ] && gateway=http://localhost:13080 password=$before/.emporium/admin-password
  EMPORIUM_ADMIN_PASSWORD=$(cat "$password") ./mvnw -q -f tools/benchmark/load/pom.xml gatling:test \
    -Dgatling.simulationClass=dev.emporium.benchmark.load.OrderThroughput -Dbench.gateway=$gateway -Dbench.rates=$rate \
    -Dbench.step=$2 -Dbench.ramp=$3 -Dgatling.resultsFolder="$results/gatling-$1" > "$results/gatling-$1.log" 2>&1
}
confirmed() { # the superuser's password is in each platform's home
  local port home
  for side in "10432 $before/.emporium" "5432 $after_home"; do
    read -r port home <<< "$side"
    PGPASSWORD=$(cat "$home/postgres-passwords/postgres" 2>/dev/null) psql -h localhost -p "$port" -U postgres -d orders -Atc \
      "select count(*) from orders where status = 'CONFIRMED'"
  done | paste -sd' '
}
if [ "$ramp" = --ramp ]; then load A 150 true & load B 150 true & wait; fi
load A 330 false & load B 330 false &
sleep 90; confirmed > "$results/c1"; python3 "$here/cpu_snapshot.py" "$results/s1.json"
sleep 180; confirmed > "$results/c2"; python3 "$here/cpu_snapshot.py" "$results/s2.json"
wait
python3 - "$results" <<'PY'
import json, sys
r = sys.argv[1]
a, b = json.load(open(r + '/s1.json')), json.load(open(r + '/s2.json'))
c1, c2 = open(r + '/c1').read().split(), open(r + '/c2').read().split()
orders = {'A': int(c2[0]) - int(c1[0]), 'B': int(c2[1]) - int(c1[1])}
print('confirmed in the 180 s window:', orders)
print('| process | A (before) | B (after) | B / A |\n|---|---:|---:|---:|')
total = {'A': 0.0, 'B': 0.0}
for name in ['gateway', 'order-service', 'inventory-service', 'user-service', 'kafka', 'postgres', 'discovery', 'launcher']:
    ms = {}
    for p in 'AB':  # clock ticks of 10 ms
        ms[p] = (b.get(p + ':' + name, 0) - a.get(p + ':' + name, 0)) * 10 / orders[p]
        total[p] += ms[p]
    print(f"| {name} | {ms['A']:.1f} | {ms['B']:.1f} | {ms['B'] / ms['A'] if ms['A'] else 0:.2f} |")
print(f"| total | {total['A']:.1f} | {total['B']:.1f} | {total['B'] / total['A']:.2f} |")
PY
for side in A B; do echo "$side: $(grep -A3 "Requests --" "$results/gatling-$side.log" | grep "> accept" | tail -n 1)"; done
echo "Gatling logs and reports: $results"
