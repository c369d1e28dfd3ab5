#!/bin/bash
# Cross-checks a scenario against the real runtime: serves the scenario's registries with
# `pullpath mock --same-ports`, then runs skopeo against them with the registry names routed by a
# private /etc/hosts (bind-mounted inside `unshare -m`, so the system's file is never touched), and
# prints skopeo's "Trying to access" / "Accessing … failed" / fatal lines to compare with the scenario's
# expectations. Needs root (ports 443/80 and the mount namespace), skopeo and util-linux unshare.
#
#   scenarios/skopeo-cross-check.sh scenarios/demo.toml quay.io/acme/app:1.4 quay.io/acme/db:15
#   SKOPEO_CMD=copy scenarios/skopeo-cross-check.sh scenarios/corrupt-manifest-mirror.toml quay.io/acme/app:1.4
#
# References with {{digest …}} templates: pass the expanded reference (see `pullpath scenario run
# --output json`, field "image").
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=$1; shift
work=$(mktemp -d /tmp/pullpath-skopeo-XXXXXX)
node bin/pullpath.js mock "$scenario" --same-ports --duration 300 --output json > "$work/mock.json" &
mock_pid=$!
trap 'kill -INT $mock_pid 2>/dev/null || true; wait $mock_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do [ -s "$work/mock.json" ] && break; sleep 0.5; done
[ -s "$work/mock.json" ] || { echo "the mock registries did not start" >&2; exit 2; }
node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  require("fs").writeFileSync(process.argv[2], "127.0.0.1 localhost\n" + j.hostsLines.join("\n") + "\n");
  console.log([j.registriesConf, j.caDir ?? "", j.authFile ?? "", j.policy ?? "", j.registriesD ?? ""].join("|"));
' "$work/mock.json" "$work/hosts" > "$work/info"
# "|", not a tab: read collapses consecutive whitespace separators, so an empty field would shift the rest.
IFS='|' read -r conf ca auth policy regd < "$work/info"
cmd=${SKOPEO_CMD:-inspect}
for ref in "$@"; do
  echo "=== $ref"
  args=(--registries-conf "$conf" --debug)
  # Signature scenarios: the policy.json and registries.d the mock wrote (skopeo checks them on copy only).
  if [ -n "$policy" ]; then args+=(--policy "$policy"); fi
  if [ -n "$regd" ]; then args+=(--registries.d "$regd"); fi
  args+=("$cmd")
  if [ "$cmd" = inspect ]; then args+=(--raw); fi
  if [ -n "$ca" ]; then if [ "$cmd" = copy ]; then args+=(--src-cert-dir "$ca"); else args+=(--cert-dir "$ca"); fi; fi
  if [ -n "$auth" ]; then if [ "$cmd" = copy ]; then args+=(--src-authfile "$auth"); else args+=(--authfile "$auth"); fi; fi
  args+=("docker://$ref")
  if [ "$cmd" = copy ]; then args+=("dir:$work/out-$RANDOM"); fi
  timeout "${SKOPEO_TIMEOUT:-60}" unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec skopeo "$@"' "$work/hosts" "${args[@]}" 2>&1 \
    | grep -E 'Trying to access|Accessing|level=fatal|signature' | sed 's/^time="[^"]*" //' || echo "(no result: timed out after ${SKOPEO_TIMEOUT:-60} s, or skopeo printed only the manifest)"
done
