# byoe: `make run` trains and serves the sample ensemble; `make test` runs every test.
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk 2>/dev/null)
export JAVA_HOME
# Maven's own libraries use sun.misc.Unsafe; on Java 25 say it is allowed instead of warning.
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
# The Maven wrapper fetches the pinned Maven (.mvn/wrapper/maven-wrapper.properties) from Maven Central.
MVN := ./mvnw -B

.PHONY: build test test-fast test-slow format run image push bench soak fuzz clean tools demo-logs

tools:
	@scripts/ensure-tools

build: tools
	$(MVN) -DskipTests package
	@ls -l dist/byoe.jar dist/byoe-spark.jar

# Unit tests, the jar end to end, then the Docker image built and run for real.
test: tools
	$(MVN) -Pcontainer-tests verify

# The same without the image.
test-fast: tools
	$(MVN) verify

# Applies the code format that `make test` checks.
format:
	$(MVN) -q spotless:apply -Dspotless.check.skip=true

# The tests tagged slow (the soak, a 100 MB training file, long DeepLog runs), left out of `make test`.
test-slow: tools
	$(MVN) verify -Dbyoe.test.groups=slow -Dbyoe.test.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false

image: build
	scripts/build-image

push:
	scripts/push-image

# Measurements against same-session baselines; results go to bench/RESULTS.md by hand.
# The Drain and serving benchmarks read the full data sets in ../shared/data and say so when they
# are absent; the serving benchmark installs its peer stack from Debian (scripts/ensure-bench-tools).
SHARED ?= ../shared/data
# The benchmarks live outside the product jar, in bench/tools; the jar supplies everything else.
BENCH_CP := dist/byoe.jar:bench/tools/target/byoe-bench.jar
# The flags byoe runs with, for JMH and the JVMs it forks (XGBoost's JNI library, JMH's Unsafe use).
JMH_JVM := --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
bench: image
	scripts/ensure-bench-tools
	bench/cold-start
	IMAGE=byoe:latest bench/image-size
	$(JAVA_HOME)/bin/java -cp $(BENCH_CP) dev.byoe.bench.tools.DrainAccuracy $(SHARED)/loghub2k
	$(JAVA_HOME)/bin/java -Xmx1g -cp $(BENCH_CP) dev.byoe.bench.tools.DrainThroughput $(SHARED)/hdfs/HDFS_20000.log
	/usr/bin/python3 bench/serving.py
	/usr/bin/python3 bench/interleaved.py
	/usr/bin/python3 bench/interleaved.py --matrix
	/usr/bin/python3 bench/interleaved.py --workers
	/usr/bin/python3 bench/profile/profile.py
	IMAGE=byoe:latest /usr/bin/python3 bench/container-serving.py
	IMAGE=byoe:latest /usr/bin/python3 bench/container-serving.py --young
	IMAGE=byoe:latest /usr/bin/python3 bench/container-serving.py --cause --rounds 10
	bench/deeplog/run $(SHARED)
	/usr/bin/python3 bench/log-anomaly/evaluate.py --data $(SHARED)
	/usr/bin/python3 bench/raw-logs.py --data $(SHARED)
	/usr/bin/python3 bench/young-generation.py --data $(SHARED)
	MEMORY=none CASES="uncapped shipped shipped uncapped maxnew512" IMAGE=byoe:latest bench/container-memory/run
	IMAGE=byoe:latest bench/multi-host/run $(SHARED)
	bench/spark/run $(SHARED)
	IMAGE=byoe:latest bench/multi-model/run
	$(MVN) -q -Pjmh -DskipTests -pl bench/jmh -am package
	$(JAVA_HOME)/bin/java $(JMH_JVM) -jar bench/jmh/target/benchmarks.jar \
	  -jvmArgsAppend "$(JMH_JVM)" "CodecBenchmark|CsvReadBenchmark|CsvWriteBenchmark|FormatReadBenchmark|TreeWalkBenchmark|LstmForwardBenchmark"
	# CatBoost's prediction library is in the product jar only (the benchmarks jar leaves out the
	# platform folders); the benchmark trains its model with dist/byoe.jar too.
	$(JAVA_HOME)/bin/java $(JMH_JVM) -cp bench/jmh/target/benchmarks.jar:dist/byoe.jar org.openjdk.jmh.Main \
	  -jvmArgsAppend "$(JMH_JVM)" CatBoostWalkBenchmark
	bench/jmh/alternate CsvReadBenchmark.decode path plain,plain-library-numbers 5 -p rows=1000
	/usr/bin/python3 bench/headline.py

# 10 minutes at concurrency 64 of valid and hostile requests against the real jar on loopback;
# figures to bench/soak-results.json (copy them into bench/RESULTS.md). SOAK_MINUTES overrides.
SOAK_MINUTES ?= 10
soak: build
	$(JAVA_HOME)/bin/java -cp $(BENCH_CP) dev.byoe.bench.tools.Soak --minutes $(SOAK_MINUTES) --concurrency 64 \
	  --out bench/soak-results.json

# Coverage-guided fuzzing of the request decoders (Jazzer); new findings land in the regression corpus.
fuzz: tools
	scripts/fuzz

run: build
	scripts/local-run

demo-logs: build
	scripts/demo-logs

# byoe's Spark job (dist/byoe-spark.jar) in Spark local mode on data/hdfs/HDFS_20000.log.gz.
.PHONY: spark-demo
spark-demo: build
	scripts/spark-demo

# The log seed as one SageMaker Pipelines definition: raw logs -> processing -> tuning -> registry
# -> approval -> deployment -> raw log lines answered (examples/pipelines/log-anomaly.json).
.PHONY: pipeline-demo
pipeline-demo: build
	scripts/pipeline-demo

# The example tuning job (examples/tuning/tuning.json) on this machine; results in local/tuning.
.PHONY: tune
tune: build
	rm -rf local/tuning
	$(JAVA_HOME)/bin/java -jar dist/byoe.jar tune --config examples/tuning/tuning.json --output local/tuning

clean:
	$(MVN) -q clean
	rm -rf dist local
