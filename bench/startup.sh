#!/usr/bin/env bash
# Start-up from an image against start-up from source, for the Are We Fast Yet classes:
#   bench/startup.sh $SOM [runs]      ($SOM: a checkout of SOM-st/SOM)
# A generated program resolves every class of the AWFY folders by name, so that both ways end
# with all of them compiled; its image is saved once, then each way is started `runs` times in
# turn, pinned to CPU 0, JIT on and off. Prints whole-process wall times and the VM's own
# "image started" / "booted from source" times (LEMMING_TIMING).
set -euo pipefail
SOM="${1:?usage: bench/startup.sh SOM-CHECKOUT [runs]}"; RUNS="${2:-5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; L="$ROOT/bin/lemming"
AWFY="$SOM/Examples/AreWeFastYet"
[ -f "$AWFY/Harness.som" ] || { echo "startup.sh: $AWFY/Harness.som not found" >&2; exit 2; }
DIRS=("$AWFY" "$AWFY"/Core "$AWFY"/CD "$AWFY"/DeltaBlue "$AWFY"/Havlak "$AWFY"/Json "$AWFY"/NBody "$AWFY"/Richards)
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
CP="$WORK:$(IFS=:; echo "${DIRS[*]}"):$SOM/Smalltalk"
{
  echo "LoadAll = ( run = ( | n | n := 0."
  for d in "${DIRS[@]}"; do for f in "$d"/*.som; do
    echo "  (system resolve: #$(basename "$f" .som)) isNil ifFalse: [ n := n + 1 ]."
  done; done
  echo "  ('resolved ' + n asString + ' classes') println ) )"
} > "$WORK/LoadAll.som"
PIN=(); command -v taskset >/dev/null && PIN=(taskset -c 0)
"$L" image save "$WORK/all.image" -cp "$CP" LoadAll
"$L" run "$WORK/all.image"
ms() { echo $(( ($2 - $1) / 1000000 )); }
for mode in --jit=on --jit=off; do
  for ((k = 1; k <= RUNS; k++)); do
    t0=$(date +%s%N); LEMMING_TIMING=1 ${PIN[@]+"${PIN[@]}"} "$L" run "$mode" "$WORK/all.image" >/dev/null 2>"$WORK/i"; t1=$(date +%s%N)
    LEMMING_TIMING=1 ${PIN[@]+"${PIN[@]}"} "$L" run "$mode" -cp "$CP" LoadAll >/dev/null 2>"$WORK/s"; t2=$(date +%s%N)
    printf '%-9s image: wall %4d ms (%s)   source: wall %4d ms (%s)\n' "$mode" "$(ms "$t0" "$t1")" \
      "$(grep -o 'started in [0-9.]* ms' "$WORK/i")" "$(ms "$t1" "$t2")" "$(grep -o 'source in [0-9.]* ms' "$WORK/s")"
  done
done
