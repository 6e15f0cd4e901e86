#!/usr/bin/env bash
# What metrics and tracing cost the proxy: run.sh's setups (c) and (d) (Berth's proxy, persistence off and on) with
#   default    metrics on (the default), tracing off (no OTLP endpoint set)
#   no-metrics --Berth:Telemetry:Metrics false: no /metrics and no metrics listener
#   tracing    metrics on and every request traced (sampler always on), batched for OTLP to 127.0.0.1:BENCH_OTLP_PORT, where
#              nothing listens: spans are made, recorded and queued as with a collector, and each export is refused
# Variants alternate round by round (BENCH_ROUNDS, default 3) so drift on the machine hits each alike; the median round counts.
# Every run.sh variable applies (BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS…); BENCH_SETUPS defaults to "c d" here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds="${BENCH_ROUNDS:-3}"
otlp_port="${BENCH_OTLP_PORT:-18484}"
export BENCH_SETUPS="${BENCH_SETUPS:-c d}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_ROUNDS must be a positive whole number" >&2; exit 2; }

variants="default no-metrics tracing"
declare -A args=(
  [default]=""
  [no-metrics]="--Berth:Telemetry:Metrics false"
  [tracing]="--Berth:Telemetry:Tracing true"
)
declare -A results # "variant setup" -> space-separated "req/s:p99" per round
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

for round in $(seq 1 "$rounds"); do
  for variant in $variants; do
    echo "== round $round/$rounds: $variant" >&2
    env=()
    [[ "$variant" == tracing ]] && env=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$otlp_port")
    env "${env[@]}" BENCH_BERTH_ARGS="${args[$variant]}" "$here/run.sh" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
    for setup in c d; do
      line="$(grep -E "^\($setup\) berth, persistence" "$out" || true)"
      [[ -n "$line" ]] || continue
      # columns after the label: req/s p50 p99 requests errors status
      read -r rps _ p99 _ errors _ <<<"$(sed -E 's/^\([a-z]\) berth, persistence (on|off) +//' <<<"$line")"
      (( errors == 0 )) || { echo "$variant ($setup): $errors errors; its run:" >&2; cat "$out" >&2; exit 1; }
      results["$variant $setup"]+="$rps:$p99 "
      echo "   ($setup) $variant, round $round: $rps req/s, p99 $p99 ms" >&2
    done
  done
done

median() { tr ' ' '\n' | grep . | sort -t: -k1,1n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }
echo
echo "telemetry overhead on bench/proxy, $rounds round(s), median round per cell (req/s, p99 ms); machine: $(nproc) cores"
fmt='%-28s %12s %9s %12s %9s\n'
# shellcheck disable=SC2059
printf "$fmt" variant "(c) req/s" "(c) p99" "(d) req/s" "(d) p99"
declare -A base
for variant in $variants; do
  row=()
  for setup in c d; do
    m="$(median <<<"${results["$variant $setup"]:-}")"
    row+=("${m%%:*}" "${m##*:}")
    [[ "$variant" == default ]] && base[$setup]="${m%%:*}"
  done
  # shellcheck disable=SC2059
  printf "$fmt" "$variant" "${row[@]}"
done
echo
for variant in no-metrics tracing; do
  for setup in c d; do
    m="$(median <<<"${results["$variant $setup"]:-}")"
    [[ -n "${base[$setup]:-}" && -n "$m" ]] || continue
    echo "  ($setup) $variant vs default: $(awk -v v="${m%%:*}" -v b="${base[$setup]}" 'BEGIN { printf "%.2fx", v / b }')"
  done
done
