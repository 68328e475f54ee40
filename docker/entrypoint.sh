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
case "$1" in
  train) cache=$vector_cache ;;
  serve)
    heap=50
    # Compile a method after twice the default number of calls: on two cores the JIT's threads
    # otherwise take much of the CPU a cold start needs (about 30 ms of a 0.5 s start), and a server
    # under full load from its first second reached the same throughput as soon (RESULTS.md,
    # "Cold start, fourth pass"). Steady-state code is the same.
    jit="-XX:CompileThresholdScaling=2"
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
heap="${BYOE_HEAP_PERCENT:-$heap}"
# shellcheck disable=SC2086 # $jit is empty or a word on purpose
exec java -XX:AOTCache="$cache" \
  -XX:+UseParallelGC -XX:MaxRAMPercentage=$heap -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError $jit \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dbyoe.native.dir=/opt/byoe/native -Dorg.bytedeco.javacpp.cachedir=/tmp/byoe-javacpp \
  -jar /opt/byoe/byoe.jar "$@"
