package dev.byoe.serve.models;

import dev.byoe.core.data.FeatureBatch;
import dev.byoe.model.EnsembleModel;
import dev.byoe.model.MemberTimes;
import dev.byoe.model.anomaly.LogAnomalyModel;
import dev.byoe.model.anomaly.SessionBatch;
import dev.byoe.model.member.MemberException;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.SessionRequestDecoder;

/**
 * The model an endpoint serves, as the invocation handler sees it: a body in one format, an answer
 * in another. A tabular ensemble answers rows; a log-anomaly model answers sessions, and may also
 * take raw log lines.
 */
public sealed interface ServedModel permits ServedModel.Tabular, ServedModel.Logs {
    /** {@code tabular} or {@code log_anomaly}, as the training job's {@code task} names it. */
    String kind();

    /** The members' names, as the manifest lists them. */
    java.util.List<String> members();

    /** The tabular objective; empty for a log-anomaly model. */
    java.util.Optional<dev.byoe.core.data.Objective> objective();

    /** Whether a {@code text/plain} body is raw log lines this model parses into sessions. */
    boolean takesRawLines();

    /** What to send, for the message of an empty body. */
    String whatToSend();

    /**
     * Whether it holds native memory the C allocator's statistics do not count (a member scored by
     * CatBoost's library), which a multi-model endpoint then estimates from the files.
     */
    boolean holdsUncountedNativeMemory();

    /**
     * The answer's body for a request body in {@code input} ({@code rawLines}: text/plain log
     * lines).
     */
    byte[] answer(
            byte[] body,
            Format input,
            boolean rawLines,
            Format output,
            boolean members,
            MemberTimes times)
            throws MemberException;

    /**
     * An XGBoost + CatBoost (or other tabular) ensemble: rows of features in, one prediction per
     * row out.
     */
    record Tabular(EnsembleModel model) implements ServedModel {
        @Override
        public String kind() {
            return "tabular";
        }

        @Override
        public java.util.List<String> members() {
            return model.memberNames();
        }

        @Override
        public java.util.Optional<dev.byoe.core.data.Objective> objective() {
            return java.util.Optional.of(model.target().objective());
        }

        @Override
        public boolean takesRawLines() {
            return false;
        }

        @Override
        public String whatToSend() {
            return "one or more rows of features";
        }

        @Override
        public boolean holdsUncountedNativeMemory() {
            return model.holdsUncountedNativeMemory();
        }

        @Override
        public byte[] answer(
                byte[] body,
                Format input,
                boolean rawLines,
                Format output,
                boolean members,
                MemberTimes times)
                throws MemberException {
            FeatureBatch batch = input.decodeRows(body, model.schema());
            return output.encodeRows(model.predict(batch, times), model.target(), members);
        }
    }

    /** A log-anomaly model: sessions (or raw log lines) in, a verdict per session out. */
    record Logs(LogAnomalyModel model) implements ServedModel {
        @Override
        public String kind() {
            return "log_anomaly";
        }

        @Override
        public java.util.List<String> members() {
            return model.memberNames();
        }

        @Override
        public java.util.Optional<dev.byoe.core.data.Objective> objective() {
            return java.util.Optional.empty();
        }

        @Override
        public boolean takesRawLines() {
            return true;
        }

        @Override
        public String whatToSend() {
            return "sessions or raw log lines (text/plain)";
        }

        @Override
        public boolean holdsUncountedNativeMemory() {
            return model.holdsUncountedNativeMemory();
        }

        @Override
        public byte[] answer(
                byte[] body,
                Format input,
                boolean rawLines,
                Format output,
                boolean members,
                MemberTimes times) {
            SessionBatch sessions =
                    rawLines
                            ? SessionRequestDecoder.rawLines(body, model)
                            : input.decodeSessions(body, !model.needsEventOrder());
            return output.encodeSessions(model.score(sessions, times));
        }
    }
}
