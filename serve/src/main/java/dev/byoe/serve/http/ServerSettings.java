package dev.byoe.serve.http;

import dev.byoe.serve.capture.CaptureSettings;
import dev.byoe.serve.capture.DataCapture;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.Formats;
import dev.byoe.serve.codec.MediaType;
import dev.byoe.serve.codec.RequestProblem;
import dev.byoe.serve.codec.SelectedInput;
import dev.byoe.serve.codec.SelectedOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serving configuration from the environment SageMaker sets.
 *
 * @param defaultAccept response format for a missing or {@code *}{@code /*} Accept; {@code null}
 *     means "the request's own format"
 * @param maxBodyBytes larger bodies get 413 (6 MiB, or {@code SAGEMAKER_MAX_PAYLOAD_IN_MB} for
 *     batch)
 * @param returnMembers answer with each member's output by default
 * @param workers invocations computing at once ({@code BYOE_MAX_CONCURRENT_INVOCATIONS}, or
 *     SageMaker's {@code SAGEMAKER_MODEL_SERVER_WORKERS})
 * @param queue invocations waiting for a worker before more get 503 ({@code
 *     BYOE_MAX_QUEUED_INVOCATIONS})
 * @param workingBytes estimated working memory of the invocations computing at once ({@code
 *     BYOE_MAX_WORKING_MB}; default half the heap)
 * @param batchStrategy {@code MultiRecord} or {@code SingleRecord}, as the API spells them
 * @param deadline time from a request's arrival to its answer; past it, 503 ({@code
 *     BYOE_REQUEST_TIMEOUT_SECONDS} or {@code SAGEMAKER_MODEL_SERVER_TIMEOUT}; default below
 *     SageMaker's 60 s, or its batch default of 600 s)
 * @param selectedOutput the answer keys {@code SAGEMAKER_INFERENCE_OUTPUT} selects; {@code null}
 *     for byoe's own answers
 * @param selectedInput the fields of a CSV row {@code SAGEMAKER_INFERENCE_INPUT} names; {@code
 *     null} for features in training order
 * @param capture data capture of requests and answers ({@link DataCapture#OFF} unless {@code
 *     BYOE_DATA_CAPTURE_DIR} is set); the server closes it when it stops
 */
public record ServerSettings(
        int port,
        Path modelDir,
        Format defaultAccept,
        long maxBodyBytes,
        boolean batch,
        String batchStrategy,
        int maxConcurrentTransforms,
        boolean returnMembers,
        int workers,
        int queue,
        long workingBytes,
        Duration deadline,
        SelectedOutput selectedOutput,
        SelectedInput selectedInput,
        DataCapture capture) {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSettings.class);

    public static final long SAGEMAKER_MAX_BODY = 6L * 1024 * 1024;

    /** The API's largest MaxPayloadInMB. */
    static final int MAX_PAYLOAD_MB = 100;

    static final int REAL_TIME_DEADLINE_SECONDS = 55;
    static final int BATCH_DEADLINE_SECONDS = 590;

    public static ServerSettings fromEnvironment(Map<String, String> environment) {
        Map<String, String> env = SageMakerNames.resolve(environment, LOG::warn);
        // 0 picks a free port (used by self-test).
        int port = integer(env, "SAGEMAKER_BIND_TO_PORT", 8080, 0, 65535);
        String modelDir = env.get("BYOE_MODEL_DIR");
        if (modelDir == null || modelDir.isBlank()) {
            String root = env.getOrDefault("BYOE_ML_ROOT", "/opt/ml");
            modelDir = Path.of(root.isBlank() ? "/opt/ml" : root, "model").toString();
        }
        Format accept = null;
        String acceptText = env.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT");
        if (acceptText != null && !acceptText.isBlank()) {
            try {
                accept =
                        Formats.of(MediaType.parse(acceptText))
                                .filter(f -> f.answerFormat() == f)
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT="
                                                                + acceptText
                                                                + " is not one of "
                                                                + Formats.writable()));
            } catch (RequestProblem e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        // 0 is the API's "chunked, no set size": the largest payload the API allows otherwise.
        int payloadMb = integer(env, "SAGEMAKER_MAX_PAYLOAD_IN_MB", -1, 0, MAX_PAYLOAD_MB);
        long maxBody =
                payloadMb == 0
                        ? MAX_PAYLOAD_MB * 1024L * 1024L
                        : payloadMb > 0
                                ? Math.max(SAGEMAKER_MAX_BODY, payloadMb * 1024L * 1024L)
                                : SAGEMAKER_MAX_BODY;
        boolean batch = "true".equalsIgnoreCase(env.getOrDefault("SAGEMAKER_BATCH", "false"));
        String strategy =
                batchStrategy(env.getOrDefault("SAGEMAKER_BATCH_STRATEGY", "MultiRecord"));
        // 0 (allowed by the API) means "ask the container": one per core, as when it is unset.
        int transforms = integer(env, "SAGEMAKER_MAX_CONCURRENT_TRANSFORMS", 0, 0, 1000);
        if (transforms == 0) {
            transforms = Runtime.getRuntime().availableProcessors();
        }
        boolean members = "true".equalsIgnoreCase(env.getOrDefault("BYOE_RETURN_MEMBERS", "false"));
        // Two per core: requests are CPU-bound, and a second one per core overlaps reading and
        // writing.
        int workers =
                integer(
                        env,
                        "BYOE_MAX_CONCURRENT_INVOCATIONS",
                        2 * Runtime.getRuntime().availableProcessors(),
                        1,
                        4096);
        int queue = integer(env, "BYOE_MAX_QUEUED_INVOCATIONS", 128, 0, 100_000);
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        long workingMb =
                integer(env, "BYOE_MAX_WORKING_MB", (int) Math.max(1, heapMb / 2), 1, 1 << 20);
        int deadline =
                integer(
                        env,
                        "BYOE_REQUEST_TIMEOUT_SECONDS",
                        batch ? BATCH_DEADLINE_SECONDS : REAL_TIME_DEADLINE_SECONDS,
                        1,
                        3600);
        String selected = env.get("SAGEMAKER_INFERENCE_OUTPUT");
        SelectedOutput selectedOutput =
                selected == null || selected.isBlank() ? null : SelectedOutput.parse(selected);
        String inputKeys = env.get("SAGEMAKER_INFERENCE_INPUT");
        SelectedInput selectedInput =
                inputKeys == null || inputKeys.isBlank() ? null : SelectedInput.parse(inputKeys);
        // Last, once every other setting is valid: this starts the capture writer thread.
        DataCapture capture = DataCapture.start(CaptureSettings.fromEnvironment(env));
        return new ServerSettings(
                port,
                Path.of(modelDir),
                accept,
                maxBody,
                batch,
                strategy,
                transforms,
                members,
                workers,
                queue,
                workingMb << 20,
                Duration.ofSeconds(deadline),
                selectedOutput,
                selectedInput,
                capture);
    }

    /**
     * SageMaker's environment spells it {@code MULTI_RECORD}; the API (and /execution-parameters)
     * {@code MultiRecord}.
     */
    static String batchStrategy(String value) {
        return switch (value.strip().replace("_", "").toUpperCase(Locale.ROOT)) {
            case "MULTIRECORD" -> "MultiRecord";
            case "SINGLERECORD" -> "SingleRecord";
            default ->
                    throw new IllegalArgumentException(
                            "SAGEMAKER_BATCH_STRATEGY="
                                    + value
                                    + " must be MultiRecord or SingleRecord (MULTI_RECORD, SINGLE_RECORD)");
        };
    }

    private static int integer(Map<String, String> env, String name, int def, int min, int max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            int i = Integer.parseInt(v.strip());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            String set = env.getOrDefault(SageMakerNames.source(name), name);
            throw new IllegalArgumentException(
                    set + "=" + v + " must be an integer in [" + min + ", " + max + "]");
        }
    }
}
