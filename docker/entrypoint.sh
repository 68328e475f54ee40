#!/bin/sh
# The image's entry point: runs byoe as PID 1 (exec) with the JVM flags of the job at hand.
# It picks one of two AOT caches: one recorded serving a tabular model, one recorded serving a
# DeepLog model (which loads the Vector API module while it runs, JdkModules); members declare the
# JDK modules they use in the manifest ("jvm_modules"), so this script knows no member by name.
# No --add-modules here: a JVM started with an incubator module cannot use a cache's linked classes.
set -e
[ $# -gt 0 ] || set -- serve
cache=/opt/byoe/byoe.aot
vector_cache=/opt/byoe/byoe-vector.aot
# Training holds the data set: most of the memory goes to the heap. Serving needs less heap and
# more room beside it (XGBoost's and CatBoost's native memory, thread stacks, code): at 70% a 1 GiB
# container under large valid requests reached its limit; at 50% it peaks near 830 MB (RESULTS.md).
heap=70
jit=""
young=""
case "$1" in
  train) cache=$vector_cache ;;
  serve)
    heap=50
    # Compile a method after twice the default number of calls: on two cores the JIT's threads
    # otherwise take much of the CPU a cold start needs (about 30 ms of a 0.5 s start), and a server
    # under full load from its first second reached the same throughput as soon (RESULTS.md,
    # "Cold start, fourth pass"). Steady-state code is the same.
    jit="-XX:CompileThresholdScaling=2"
    young=cap
    model="${BYOE_MODEL_DIR:-${BYOE_ML_ROOT:-/opt/ml}/model}"
    if grep -qs '"jdk.incubator.vector"' "$model/manifest.json"; then
      cache=$vector_cache
    fi
    # A multi-model endpoint learns its models later, any of which may want the module.
    case "${SAGEMAKER_MULTI_MODEL:-} $*" in
      [Tt][Rr][Uu][Ee]\ *|*--multi-model*) cache=$vector_cache ;;
    esac ;;
esac
# Smile (PCA training, tuning's Gaussian process) opens libopenblas.so by name; the image's copy
# is the one ND4J uses, unpacked beside the others (docker/split-natives.sh).
export LD_LIBRARY_PATH="/opt/byoe/native/openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# A setting of this script's that the JVM could not take: the reason on stderr and, for a job, in
# the file SageMaker reports it from (a training job's FailureReason, a processing job's
# ExitMessage), as byoe itself does; exit 2, as for any setting byoe refuses.
refuse() {
  echo "$2" >&2
  case "$1" in
    train) file=failure ;;
    process | process-join | monitor | evaluate) file=message ;;
    *) exit 2 ;;
  esac
  output="${BYOE_ML_ROOT:-/opt/ml}/output"
  { mkdir -p "$output" && printf '%s\n' "$2" > "$output/$file"; } 2>/dev/null || true
  exit 2
}
# The user's JVM flags, in the order the JVM reads them: JAVA_TOOL_OPTIONS, then JDK_JAVA_OPTIONS
# (the launcher's) and the command line, then _JAVA_OPTIONS; a later flag wins. This script reads
# them in the shell itself: a process started here (awk, cat) is a few milliseconds of every start.
options="${JAVA_TOOL_OPTIONS:-}
${JDK_JAVA_OPTIONS:-}
${_JAVA_OPTIONS:-}"
flag_percent="" max_heap="" max_ram="" collector="" user_young=""
set -f
for word in $options; do
  case "$word" in
    -XX:MaxRAMPercentage=*) flag_percent=${word#*=} ;;
    -Xmx*) max_heap=${word#-Xmx} ;;
    -XX:MaxHeapSize=*) max_heap=${word#*=} ;;
    -XX:MaxRAM=*) max_ram=${word#*=} ;;
    *-XX:+UseZGC*) collector=z ;;
    *-XX:+UseG1GC* | *-XX:+UseShenandoahGC* | *-XX:+UseSerialGC* | *-XX:+UseEpsilonGC*)
      [ "$collector" = z ] || collector=other ;;
    *-Xmn* | *NewSize* | *NewRatio*) user_young=yes ;;
  esac
done
set +f
# A heap percentage among them is the user's: the one on this script's command line would
# otherwise silently override it.
heap_setting=BYOE_HEAP_PERCENT
if [ -n "${BYOE_HEAP_PERCENT:-}" ]; then
  heap=$BYOE_HEAP_PERCENT
elif [ -n "$flag_percent" ]; then
  heap=$flag_percent
  heap_setting="-XX:MaxRAMPercentage in the JVM options"
fi
# The percentage in hundredths (shell arithmetic has whole numbers only): 1 to 10000.
hundredths=0
case "$heap" in
  '' | *[!0-9.]* | *.*.* | .) ;;
  *)
    whole=${heap%%.*} fraction=${heap#"${heap%%.*}"}
    fraction="${fraction#.}00"
    fraction=${fraction%"${fraction#??}"}
    while [ "${#whole}" -gt 1 ] && [ "${whole#0}" != "$whole" ]; do whole=${whole#0}; done
    if [ "${#whole}" -le 3 ]; then
      hundredths=$((${whole:-0} * 100 + ${fraction#0}))
    fi ;;
esac
if [ "$hundredths" -lt 1 ] || [ "$hundredths" -gt 10000 ]; then
  refuse "$1" "$heap_setting must be a percentage of the memory above 0 and at most 100, not '$heap'"
fi
# The parallel collector, unless the user picks one: two collectors on one command line stop the
# JVM ("Multiple garbage collectors selected"). The young generation's cap below is the parallel
# collector's; another collector sizes its own. ZGC cannot map the AOT caches (this JDK logs an
# error and starts without them), so with it the JVM is not asked to.
gc="-XX:+UseParallelGC"
case "$collector" in
  z) gc="" young="" cache="" ;;
  other) gc="" young="" ;;
esac
# Megabytes in a JVM size (bytes, or a number and k, m, g or t) as $mb; empty if it is not one.
megabytes() {
  mb=""
  case "${1%[kKmMgGtT]}" in
    '' | *[!0-9]*) return ;;
  esac
  case "$1" in
    *[kK]) mb=$((${1%?} / 1024)) ;;
    *[mM]) mb=${1%?} ;;
    *[gG]) mb=$((${1%?} * 1024)) ;;
    *[tT]) mb=$((${1%?} * 1048576)) ;;
    *) mb=$(($1 / 1048576)) ;;
  esac
}
# Serving's young generation: at most 1 GB. Left to itself the collector lets it grow to a third of
# the heap, gigabytes on a large instance, under a high allocation rate (raw log lines: ~4 KB
# each): 3.9 GB resident against 1.1 GB capped, at the same throughput and a shorter p99; with
# 6 MiB JSON bodies the same answers at a 2.3-2.4 GB peak instead of 3.8-4.5. A 512 MB cap cost
# them 12% of their answers (bench/young-generation.py, bench/container-memory/run; RESULTS.md).
# The flag goes in only where the collector's own bound (a third of the heap) is larger: given to
# a smaller heap it would shrink the old generation below what the AOT cache's archived objects
# need, and the JVM would refuse to start. So the heap is reckoned as the JVM will: -Xmx or
# MaxHeapSize from the user's options if there, else the heap percentage of MaxRAM or of the memory.
# BYOE_YOUNG_MAX_MB=0 lifts the cap; a young generation the user sizes (-Xmn, NewSize, NewRatio)
# is theirs.
if [ "$young" = cap ]; then
  young=""
  cap="${BYOE_YOUNG_MAX_MB:-1024}"
  case "$cap" in
    '' | *[!0-9]*) refuse "$1" "BYOE_YOUNG_MAX_MB must be a whole number of MB (0: no cap), not '$cap'" ;;
  esac
  case "$cap $user_young" in
    0\ * | *yes) ;;
    *)
      megabytes "$max_heap"
      heap_mb=$mb
      if [ -z "$heap_mb" ]; then
        # The memory the JVM sizes its heap from: MaxRAM if given, else the container's limit
        # (cgroup v2, else v1) or the machine's.
        megabytes "$max_ram"
        memory=$mb
        if [ -z "$memory" ]; then
          while read -r key value _; do
            if [ "$key" = MemTotal: ]; then memory=$((value / 1024)); break; fi
          done < /proc/meminfo
          for file in /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes; do
            if [ -r "$file" ]; then
              read -r limit < "$file"
              if [ "$limit" != max ] && [ $((limit / 1048576)) -lt "$memory" ]; then
                memory=$((limit / 1048576))
              fi
              break
            fi
          done
        fi
        heap_mb=$((memory * hundredths / 10000))
      fi
      if [ $((heap_mb / 3)) -gt "$cap" ]; then
        young="-XX:MaxNewSize=${cap}m"
      fi ;;
  esac
fi
# shellcheck disable=SC2086 # $gc, $jit and $young are empty or a word on purpose
exec java ${cache:+-XX:AOTCache="$cache"} \
  $gc -XX:MaxRAMPercentage=$heap -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError $jit $young \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dbyoe.native.dir=/opt/byoe/native -Dorg.bytedeco.javacpp.cachedir=/tmp/byoe-javacpp \
  -jar /opt/byoe/byoe.jar "$@"
