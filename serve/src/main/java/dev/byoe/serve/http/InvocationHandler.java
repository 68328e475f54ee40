package dev.byoe.serve.http;

import dev.byoe.ensemble.EnsembleModel;
import dev.byoe.ensemble.data.FeatureBatch;
import dev.byoe.ensemble.member.MemberException;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.HttpProblem;
import dev.byoe.serve.codec.RequestDecoder;
import dev.byoe.serve.codec.ResponseEncoder;
import dev.byoe.serve.codec.SessionRequestDecoder;
import dev.byoe.serve.codec.SessionResponseEncoder;
import dev.byoe.ensemble.anomaly.LogAnomalyModel;
import dev.byoe.ensemble.anomaly.SessionBatch;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code POST /invocations}: decode per Content-Type, predict the whole batch with one native
 * call per member, encode per Accept. The custom attribute {@code members=true}
 * (header {@code X-Amzn-SageMaker-Custom-Attributes}) adds each member's output.
 */
final class InvocationHandler {
    static final String CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes";
    /** Oversized bodies up to this size are read (and dropped) before the 413 goes out. */
    static final long DRAIN_OVERSIZED_UP_TO = 64L << 20;

    private final ServerSettings settings;
    private final ModelHolder holder;
    private final InFlight inFlight;

    InvocationHandler(ServerSettings settings, ModelHolder holder, InFlight inFlight) {
        this.settings = settings;
        this.holder = holder;
        this.inFlight = inFlight;
    }

    void handle(Context ctx) throws IOException, MemberException {
        inFlight.enter();
        try {
            invoke(ctx);
        } finally {
            inFlight.exit();
        }
    }

    private void invoke(Context ctx) throws IOException, MemberException {
        if (holder.logs() != null) {
            invokeLogs(ctx, holder.logs());
            return;
        }
        EnsembleModel model = holder.get();
        if (model == null) {
            throw new HttpProblem(503, "the model is still loading");
        }
        Format input = Format.ofContentType(ctx.header("Content-Type"));
        Format output = Format.ofAccept(ctx.header("Accept"),
                settings.defaultAccept() != null ? settings.defaultAccept() : input);
        byte[] body = readBody(ctx, settings.maxBodyBytes());
        if (body.length == 0) {
            throw HttpProblem.badRequest("the body is empty; send one or more rows of features");
        }
        FeatureBatch batch = RequestDecoder.of(input).decode(body, model.schema());
        EnsembleModel.Prediction prediction = model.predict(batch);
        boolean members = settings.returnMembers() || wantsMembers(ctx.header(CUSTOM_ATTRIBUTES));
        byte[] answer = ResponseEncoder.encode(output, prediction, model.target(), members);
        write(ctx, output, answer);
        settings.capture().record(ctx.header("Content-Type"), body, output.mediaType(), answer);
    }

    /** Sessions (CSV, JSON, JSON Lines) or raw log lines (text/plain) in, a verdict per session out. */
    private void invokeLogs(Context ctx, LogAnomalyModel model) throws IOException {
        String contentType = ctx.header("Content-Type");
        boolean raw = SessionRequestDecoder.isRawLines(contentType);
        Format input = raw ? Format.JSON : Format.ofContentType(contentType);
        Format output = Format.ofAccept(ctx.header("Accept"),
                settings.defaultAccept() != null ? settings.defaultAccept() : input);
        byte[] body = readBody(ctx, settings.maxBodyBytes());
        if (body.length == 0) {
            throw HttpProblem.badRequest("the body is empty; send sessions or raw log lines (text/plain)");
        }
        boolean orderFree = !model.memberNames().contains("deeplog");
        SessionBatch sessions = raw ? SessionRequestDecoder.rawLines(body, model)
                : SessionRequestDecoder.decode(body, input, orderFree);
        write(ctx, output, SessionResponseEncoder.encode(output, model.score(sessions)));
    }

    // Written and flushed here, not left to Javalin after the handler returns: a shutdown that
    // waits for this handler then knows the answer has gone out.
    private static void write(Context ctx, Format output, byte[] answer) throws IOException {
        ctx.status(200).contentType(output.mediaType());
        ctx.res().setContentLength(answer.length);
        ctx.res().getOutputStream().write(answer);
        ctx.res().flushBuffer();
    }

    /** Reads at most {@code limit} bytes; more is 413, whether or not Content-Length said so. */
    static byte[] readBody(Context ctx, long limit) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            // Read and drop a moderately oversized body first: a client still uploading when the
            // connection closes sees a broken pipe instead of this answer.
            if (declared <= DRAIN_OVERSIZED_UP_TO) {
                try (InputStream in = ctx.req().getInputStream()) {
                    long left = declared;
                    while (left > 0) {
                        long skipped = in.skip(left);
                        if (skipped <= 0) {
                            if (in.read() < 0) {
                                break;
                            }
                            skipped = 1;
                        }
                        left -= skipped;
                    }
                }
            }
            throw new HttpProblem(413, "the body is " + declared + " bytes; the limit is " + limit + " bytes");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] buf = new byte[declared >= 0 ? (int) declared : 8192];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (n == declared) {
                        // The server delivers no more than Content-Length: the body is complete.
                        break;
                    }
                    if (buf.length > limit) {
                        throw new HttpProblem(413, "the body is larger than the limit of " + limit + " bytes");
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, Math.max(buf.length * 2L, 8192)));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n > limit) {
                throw new HttpProblem(413, "the body is larger than the limit of " + limit + " bytes");
            }
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
    }

    /** {@code members=true} among comma- or semicolon-separated attributes. */
    static boolean wantsMembers(String attributes) {
        if (attributes == null) {
            return false;
        }
        for (String part : attributes.split("[,;]")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (p.equals("members") || p.equals("members=true")) {
                return true;
            }
        }
        return false;
    }
}
