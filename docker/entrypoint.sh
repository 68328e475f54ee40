#!/bin/sh
# The image's entry point: runs byoe as PID 1 (exec) with the JVM flags of the job at hand.
# The Vector API module makes DeepLog's forward pass SIMD, but any extra module stops the JVM
# from using the archived module graph of the AOT cache, which costs ~0.4 s of start-up. So it
# is added only where DeepLog can run: training, and serving a model that has a DeepLog member.
set -e
[ $# -gt 0 ] || set -- serve
vector=""
case "$1" in
  train) vector="--add-modules jdk.incubator.vector" ;;
  serve)
    model="${BYOE_MODEL_DIR:-${BYOE_ML_ROOT:-/opt/ml}/model}"
    if grep -qs '"type" *: *"deeplog"' "$model/manifest.json"; then
      vector="--add-modules jdk.incubator.vector"
    fi ;;
esac
# shellcheck disable=SC2086 # $vector is empty or two words on purpose
exec java -XX:AOTCache=/opt/byoe/byoe.aot \
  -XX:+UseParallelGC -XX:MaxRAMPercentage=70 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow $vector \
  -Dbyoe.native.dir=/opt/byoe/native -Dorg.bytedeco.javacpp.cachedir=/tmp/byoe-javacpp \
  -jar /opt/byoe/byoe.jar "$@"
