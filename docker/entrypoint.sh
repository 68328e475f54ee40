#!/bin/sh
# The image's entry point: runs byoe as PID 1 (exec) with the JVM flags of the job at hand.
# The Vector API module makes some members faster (DeepLog's forward pass), but a JVM started with
# another module set than the AOT cache was recorded with cannot use that cache (and logs errors
# saying so). So the module is added only where it can help: training, and serving a model whose
# manifest lists it under "jvm_modules" (members declare the modules they run faster with); those
# JVMs use a second cache recorded with the module.
set -e
[ $# -gt 0 ] || set -- serve
vector=""
cache=/opt/byoe/byoe.aot
# Training holds the data set: most of the memory goes to the heap. Serving needs less heap and
# more room beside it (XGBoost's and CatBoost's native memory, thread stacks, code): at 70% a 1 GiB
# container under large valid requests reached its limit; at 50% it peaks near 830 MB (RESULTS.md).
heap=70
jit=""
case "$1" in
  train) vector="--add-modules jdk.incubator.vector" ;;
  serve)
    heap=50
    # Compile a method after twice the default number of calls: on two cores the JIT's threads
    # otherwise take much of the CPU a cold start needs (about 30 ms of a 0.5 s start), and a server
    # under full load from its first second reached the same throughput as soon (RESULTS.md,
    # "Cold start, fourth pass"). Steady-state code is the same.
    jit="-XX:CompileThresholdScaling=2"
    model="${BYOE_MODEL_DIR:-${BYOE_ML_ROOT:-/opt/ml}/model}"
    if grep -qs '"jdk.incubator.vector"' "$model/manifest.json"; then
      vector="--add-modules jdk.incubator.vector"
    fi
    # A multi-model endpoint learns its models later, any of which may want the module.
    case "${SAGEMAKER_MULTI_MODEL:-} $*" in
      [Tt][Rr][Uu][Ee]\ *|*--multi-model*) vector="--add-modules jdk.incubator.vector" ;;
    esac ;;
esac
[ -z "$vector" ] || cache=/opt/byoe/byoe-vector.aot
# Smile (PCA training, tuning's Gaussian process) opens libopenblas.so by name; the image's copy
# is the one ND4J uses, unpacked beside the others (docker/split-natives.sh).
export LD_LIBRARY_PATH="/opt/byoe/native/openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
heap="${BYOE_HEAP_PERCENT:-$heap}"
# shellcheck disable=SC2086 # $vector and $jit are empty or words on purpose
exec java -XX:AOTCache="$cache" \
  -XX:+UseParallelGC -XX:MaxRAMPercentage=$heap -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError $jit \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow $vector \
  -Dbyoe.native.dir=/opt/byoe/native -Dorg.bytedeco.javacpp.cachedir=/tmp/byoe-javacpp \
  -jar /opt/byoe/byoe.jar "$@"
