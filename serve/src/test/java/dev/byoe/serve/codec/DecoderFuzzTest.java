package dev.byoe.serve.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of every request decoder, from the raw body to the encoded answer,
 * against real models (a tabular XGBoost + CatBoost ensemble with categorical columns, and a log
 * model with PCA, DeepLog, XGBoost and a Drain parser; see {@code resources/models/README.md}).
 *
 * <p>The property: a body either becomes an answer with one result per row or session, or is
 * refused with a {@link RequestProblem} (a 4xx). Any other exception is a bug (it would be a 500).
 *
 * <p>{@code mvn test} replays the corpus in {@code
 * resources/dev/byoe/serve/codec/DecoderFuzzTestInputs/<target>/} (regression mode). To fuzz, run
 * {@code scripts/fuzz [target] [duration]}; inputs that fail are written there and then replayed by
 * every later test run.
 */
class DecoderFuzzTest {
    private static final EnsembleModel TABULAR = load(() -> EnsembleModel.load(model("adult")));
    private static final LogAnomalyModel LOGS =
            load(() -> LogAnomalyModel.load(model("hdfs-logs")));

    @FuzzTest(maxDuration = "2m")
    void tabularCsv(byte[] body) throws Exception {
        tabular(body, Formats.CSV);
    }

    @FuzzTest(maxDuration = "2m")
    void tabularJson(byte[] body) throws Exception {
        tabular(body, Formats.JSON);
    }

    @FuzzTest(maxDuration = "2m")
    void tabularJsonLines(byte[] body) throws Exception {
        tabular(body, Formats.JSON_LINES);
    }

    @FuzzTest(maxDuration = "2m")
    void numericLibsvm(byte[] body) {
        numeric(body, Formats.LIBSVM);
    }

    @FuzzTest(maxDuration = "2m")
    void numericRecordIo(byte[] body) {
        numeric(body, Formats.RECORDIO_PROTOBUF);
    }

    @FuzzTest(maxDuration = "2m")
    void sessionsCsv(byte[] body) {
        sessions(body, Formats.CSV);
    }

    @FuzzTest(maxDuration = "2m")
    void sessionsJson(byte[] body) {
        sessions(body, Formats.JSON);
    }

    @FuzzTest(maxDuration = "2m")
    void sessionsJsonLines(byte[] body) {
        sessions(body, Formats.JSON_LINES);
    }

    @FuzzTest(maxDuration = "2m")
    void rawLogLines(byte[] body) {
        SessionBatch batch;
        try {
            batch = SessionRequestDecoder.rawLines(body, LOGS);
        } catch (RequestProblem e) {
            assertClientError(e);
            return;
        }
        answer(batch);
    }

    private static void tabular(byte[] body, Format format) throws Exception {
        FeatureBatch batch;
        try {
            batch = format.decodeRows(body, TABULAR.schema());
        } catch (RequestProblem e) {
            assertClientError(e);
            return;
        }
        EnsembleModel.Prediction p = TABULAR.predict(batch);
        assertEquals(batch.rows(), p.ensemble().rows());
        for (double v : p.ensemble().values()) {
            assertTrue(v >= 0 && v <= 1, "a probability outside [0, 1]: " + v);
        }
        for (Format out : Formats.all()) {
            out.encodeRows(p, TABULAR.target(), true);
        }
        assertEquals(batch.rows(), csvRecords(Formats.CSV.encodeRows(p, TABULAR.target(), false)));
    }

    /**
     * The numeric-only formats against a schema of numeric features (the test models have
     * categorical ones, which these formats refuse outright): rows, or a refusal.
     */
    private static void numeric(byte[] body, Format format) {
        FeatureBatch batch;
        try {
            batch = format.decodeRows(body, NUMERIC);
        } catch (RequestProblem e) {
            assertClientError(e);
            return;
        }
        assertTrue(batch.rows() > 0);
        assertEquals(batch.rows() * NUMERIC.size(), batch.numeric().length);
    }

    private static final FeatureSchema NUMERIC =
            new FeatureSchema(
                    java.util.stream.IntStream.range(0, 6)
                            .mapToObj(i -> new Feature("f" + i, FeatureKind.NUMERIC))
                            .toList());

    private static void sessions(byte[] body, Format format) {
        SessionBatch batch;
        try {
            batch = format.decodeSessions(body, false);
        } catch (RequestProblem e) {
            assertClientError(e);
            return;
        }
        answer(batch);
    }

    /**
     * Scores and encodes; the CSV answer must hold exactly one record per session, whatever the ids
     * hold.
     */
    private static void answer(SessionBatch batch) {
        LogAnomalyModel.Result r = LOGS.score(batch);
        assertEquals(batch.size(), r.labels().length);
        for (double p : r.probabilities()) {
            assertTrue(p >= 0 && p <= 1, "a probability outside [0, 1]: " + p);
        }
        for (Format out : Formats.all()) {
            out.encodeSessions(r);
        }
        assertEquals(batch.size(), csvRecords(Formats.CSV.encodeSessions(r)));
    }

    private static void assertClientError(RequestProblem e) {
        // Every kind is the caller's problem (a 4xx); anything but a RequestProblem would be a 500.
        assertTrue(e.kind() != null, "a refusal without a kind: " + e.getMessage());
        assertTrue(
                e.getMessage() != null && !e.getMessage().isBlank(), "a refusal without a message");
    }

    private static int csvRecords(byte[] csv) {
        CsvRecordReader reader =
                new CsvRecordReader(new StringReader(new String(csv, StandardCharsets.UTF_8)));
        int n = 0;
        try {
            while (reader.next() != null) {
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    interface Loader<T> {
        T load() throws Exception;
    }

    private static <T> T load(Loader<T> loader) {
        try {
            return loader.load();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load a test model", e);
        }
    }

    private static Path model(String name) throws URISyntaxException {
        return Path.of(DecoderFuzzTest.class.getResource("/models/" + name).toURI());
    }
}
