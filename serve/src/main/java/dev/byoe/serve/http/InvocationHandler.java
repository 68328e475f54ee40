package dev.byoe.serve.http;

import dev.byoe.model.WorkDeadline;
import dev.byoe.model.member.MemberException;
import dev.byoe.serve.codec.Format;
import dev.byoe.serve.codec.Formats;
import dev.byoe.serve.codec.MediaType;
import dev.byoe.serve.codec.RequestDecoder;
import dev.byoe.serve.codec.SessionRequestDecoder;
import dev.byoe.serve.metrics.ServerMetrics;
import dev.byoe.serve.models.ServedModel;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code POST /invocations} (and {@code POST /models/{name}/invoke}): decode per Content-Type,
 * predict the whole batch with one native call per member, encode per Accept. The custom attribute
 * {@code members=true} (header {@code X-Amzn-SageMaker-Custom-Attributes}) adds each member's
 * output.
 */
final class InvocationHandler {
    static final String CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes";

    /** The caller's TargetModel, which SageMaker passes on to a multi-model container. */
    static final String TARGET_MODEL = "X-Amzn-SageMaker-Target-Model";

    /** Oversized bodies up to this size are read (and dropped) before the 413 goes out. */
    static final long DRAIN_OVERSIZED_UP_TO = 64L << 20;

    private final ServerSettings settings;
    private final Function<Context, ModelLease> models;
    private final InFlight inFlight;
    private final Admission admission;
    private final ServerMetrics metrics;

    /**
     * @param models the model a request is for, leased until its answer is written; throws an
     *     {@link HttpProblem} or a catalog problem when there is none to use
     */
    InvocationHandler(
            ServerSettings settings,
            Function<Context, ModelLease> models,
            InFlight inFlight,
            Admission admission,
            ServerMetrics metrics) {
        this.settings = settings;
        this.models = models;
        this.inFlight = inFlight;
        this.admission = admission;
        this.metrics = metrics;
    }

    /**
     * The content-type tag of a request's figures: a format's canonical name, {@code text/plain}
     * for raw log lines, else {@code other} (never the caller's own text).
     */
    static String contentTypeTag(String header) {
        if (header == null || header.isBlank()) {
            return "none";
        }
        try {
            MediaType type = MediaType.parse(header);
            if (type.essence().equals("text/plain")) {
                return "text/plain";
            }
            return Formats.of(type).map(Format::mediaType).orElse("other");
        } catch (IllegalArgumentException e) {
            return "other";
        }
    }

    /** The answer to one invocation, ready to write. */
    private record Answer(Format format, byte[] body) {}

    /**
     * Reads the body, waits for a worker (or is refused with 503 when too many wait), computes
     * within the request's deadline, and writes the answer. Reading comes before the worker is
     * taken, so a slow upload never holds one.
     */
    void handle(Context ctx) throws Exception {
        inFlight.enter();
        try {
            long deadline = System.nanoTime() + settings.deadline().toNanos();
            // The body first, even when the headers alone will refuse the request: a refusal sent
            // while the client is still uploading makes the server drop the connection, and the
            // client may see a reset instead of the answer (1 in ~70,000 such requests in the soak
            // test).
            byte[] body = readBody(ctx, settings.maxBodyBytes(), deadline);
            ModelLease lease = models.apply(ctx);
            try {
                answer(ctx, request(ctx, lease.model(), body), deadline, lease.name());
            } finally {
                lease.release();
            }
        } finally {
            inFlight.exit();
        }
    }

    private void answer(Context ctx, Request request, long deadline, String modelName)
            throws Exception {
        long working = admission.enter(deadline, workingMemory(request));
        Answer answer;
        try {
            answer = WorkDeadline.within(deadline, () -> answer(request));
        } catch (WorkDeadline.Exceeded e) {
            throw new HttpProblem(
                    503,
                    "the request did not finish within its deadline of "
                            + settings.deadline().toSeconds()
                            + " s (BYOE_REQUEST_TIMEOUT_SECONDS); send fewer rows per request");
        } finally {
            admission.exit(working);
        }
        write(ctx, answer);
        settings.capture()
                .record(
                        modelName,
                        modelName == null ? null : ctx.header(TARGET_MODEL),
                        request.contentType(),
                        request.body(),
                        answer.format().mediaType(),
                        answer.body());
    }

    /**
     * Working memory a request is estimated to need while it computes: a JSON body's tree takes
     * several times its bytes (a number node and its slot per value), CSV about its text again plus
     * the decoded cells; the answer is small beside either.
     */
    static long workingMemory(Request request) {
        // Raw log lines are read as JSON input (request()), so they get JSON's estimate.
        return request.body().length * request.input().workingMemoryPerByte();
    }

    /** What the handler needs of the HTTP request, read while no worker is held. */
    private record Request(
            ServedModel model,
            String contentType,
            boolean rawLines,
            Format input,
            Format output,
            boolean members,
            byte[] body) {}

    private Request request(Context ctx, ServedModel model, byte[] body) {
        String contentType = ctx.header("Content-Type");
        boolean raw = model.takesRawLines() && SessionRequestDecoder.isRawLines(contentType);
        Format input = raw ? Formats.JSON : Formats.ofContentType(contentType);
        if (input.isText()) {
            body = RequestDecoder.toUtf8(body, MediaType.parse(contentType).charset());
        }
        if (settings.selectedInput() != null) {
            input = settings.selectedInput().in(input);
        }
        Format output =
                Formats.ofAccept(
                        ctx.header("Accept"),
                        settings.defaultAccept() != null
                                ? settings.defaultAccept()
                                : input.answerFormat());
        if (settings.selectedOutput() != null) {
            output = settings.selectedOutput().in(output);
        }
        if (body.length == 0) {
            throw HttpProblem.badRequest("the body is empty; send " + model.whatToSend());
        }
        boolean members = settings.returnMembers() || wantsMembers(ctx.header(CUSTOM_ATTRIBUTES));
        return new Request(model, contentType, raw, input, output, members, body);
    }

    private Answer answer(Request request) throws MemberException {
        return new Answer(
                request.output(),
                request.model()
                        .answer(
                                request.body(),
                                request.input(),
                                request.rawLines(),
                                request.output(),
                                request.members(),
                                metrics));
    }

    // Written and flushed here, not left to Javalin after the handler returns: a shutdown that
    // waits for this handler then knows the answer has gone out.
    private static void write(Context ctx, Answer answer) throws IOException {
        ctx.status(200).contentType(answer.format().mediaType());
        ctx.res().setContentLength(answer.body().length);
        ctx.res().getOutputStream().write(answer.body());
        ctx.res().flushBuffer();
    }

    /**
     * Reads at most {@code limit} bytes; more is 413, whether or not Content-Length said so. A body
     * still arriving at the deadline is 408.
     */
    static byte[] readBody(Context ctx, long limit, long deadline) throws IOException {
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
            throw new HttpProblem(
                    413, "the body is " + declared + " bytes; the limit is " + limit + " bytes");
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
                        throw new HttpProblem(
                                413, "the body is larger than the limit of " + limit + " bytes");
                    }
                    buf =
                            Arrays.copyOf(
                                    buf,
                                    (int) Math.min(limit + 1, Math.max(buf.length * 2L, 8192)));
                }
                int r;
                try {
                    r = in.read(buf, n, buf.length - n);
                } catch (IOException | RuntimeException e) {
                    throw unreadable(e, n);
                }
                if (r < 0) {
                    break;
                }
                n += r;
                if (System.nanoTime() - deadline > 0) {
                    throw new HttpProblem(
                            408,
                            "the body was still arriving at the request's deadline ("
                                    + n
                                    + " bytes read); send it faster or in smaller requests");
                }
            }
            if (n > limit) {
                throw new HttpProblem(
                        413, "the body is larger than the limit of " + limit + " bytes");
            }
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
    }

    /**
     * A body that stopped arriving (idle timeout) is 408; one that the HTTP layer could not frame
     * (a chunk size that overflows, a malformed chunk) is 400.
     */
    private static HttpProblem unreadable(Exception e, int bytesRead) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return new HttpProblem(
                        408,
                        "the body stopped arriving after "
                                + bytesRead
                                + " bytes ("
                                + e.getMessage()
                                + ")");
            }
        }
        return HttpProblem.badRequest(
                "the body could not be read after " + bytesRead + " bytes: " + e.getMessage());
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
