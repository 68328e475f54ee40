#!/bin/sh
# Image build step: sorts the jar's native libraries by who needs them, so the image carries each
# once and in the smallest form that still starts fast (bench/image-size measures the result).
#   unpacked into the native folder, where the loaders look first, so that no job copies them into
#   /tmp (a read-only container with a noexec /tmp serves and trains the tabular ensemble):
#   XGBoost's and CatBoost's (prediction and training), symbol tables stripped, and OpenBLAS,
#   which Smile (PCA training, tuning's Gaussian process) opens as libopenblas.so and ND4J links to.
#   DeepLog training's ND4J (~330 MB): a zstd archive in the native folder, unpacked into /tmp by
#   the first DeepLog training of a job (Nd4jNatives). zstd's long window packs it to about a
#   third of the jar's deflated copy.
#   other platforms' (macOS, Windows, ARM, ...): dropped.
# Everything moved or dropped leaves the jar. Usage: split-natives.sh JAR NATIVE_DIR
set -eu
jar="$1"
native="$2"
work=$(mktemp -d)
mkdir -p "$native/openblas" "$work/nd4j"

unzip -q -j "$jar" lib/linux/x86_64/libxgboost4j.so linux-x86_64/lib/libcatboost4j-prediction.so \
  linux-x86_64/lib/libcatboost4j-spark-impl.so -d "$native"
strip --strip-unneeded "$native"/*.so

unzip -q -j "$jar" 'org/bytedeco/openblas/linux-x86_64/libopenblas.so.0' \
  'org/bytedeco/openblas/linux-x86_64/libgfortran.so.5' \
  'org/bytedeco/openblas/linux-x86_64/libquadmath.so.0' -d "$native/openblas"
ln -s libopenblas.so.0 "$native/openblas/libopenblas.so"

unzip -q -j "$jar" 'org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/*' \
  'org/bytedeco/openblas/linux-x86_64/libjniopenblas*.so' -d "$work/nd4j"
# JavaCPP loads ND4J's BLAS binding against this name, and would otherwise copy libopenblas.so.0
# (30 MB) under it into /tmp at every training start.
ln -s "$native/openblas/libopenblas.so.0" "$work/nd4j/libopenblas_nolapack.so.0"
tar -C "$work/nd4j" -cf - . | zstd -q -19 --long=27 -T0 -o "$native/nd4j-natives.tar.zst"

{
  unzip -Z1 "$jar" | grep -E '\.(so(\.[0-9]+)*|dll|dylib|jnilib|a)$' \
    | grep -v -E 'linux-x86[-_]64/|linux/amd64/|Linux/x86_64/|lib/linux/x86_64/' || true
  echo lib/linux/x86_64/libxgboost4j.so
  echo 'linux-x86_64/lib/libcatboost4j-*.so'
  echo 'org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/*'
  echo 'org/bytedeco/openblas/linux-x86_64/*'
} | zip -q -d "$jar" -@
rm -rf "$work"
