package dev.byoe.app;

import dev.byoe.jobs.train.TrainingJob;
import dev.byoe.serve.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byoe self-test}: trains a small model on generated data in an /opt/ml layout, serves it on
 * a free loopback port and checks a few answers. It proves an image works where it runs. The image
 * build also records its class-data (AOT) caches from it: training in one run ({@code --ml-root}),
 * serving alone in the recorded one ({@code --serve-only}), so that a cache holds what serving
 * loads and not what only training does.
 */
@Command(
        name = "self-test",
        description = "Trains and serves a small generated model and checks the answers.")
final class SelfTest implements Callable<Integer> {
    @Option(
            names = "--log-anomaly",
            description =
                    "A DeepLog log-anomaly model on generated sessions instead of the tabular"
                            + " ensemble.")
    boolean logAnomaly;

    @Option(
            names = "--ml-root",
            description = "Work in this /opt/ml layout and keep it (default: a temporary one).")
    Path mlRoot;

    @Option(
            names = "--serve-only",
            description = "Serve and check the model a previous run left in --ml-root.")
    boolean serveOnly;

    @Override
    public Integer call() throws Exception {
        if (serveOnly && mlRoot == null) {
            System.err.println("self-test: --serve-only needs --ml-root");
            return 2;
        }
        if (serveOnly && !Files.isRegularFile(mlRoot.resolve("model/manifest.json"))) {
            System.err.println(
                    "self-test: no model in "
                            + mlRoot.resolve("model")
                            + "; run self-test with this --ml-root and without --serve-only first");
            return 1;
        }
        Workload workload = logAnomaly ? LOG_ANOMALY : TABULAR;
        Path root = mlRoot != null ? mlRoot : Files.createTempDirectory("byoe-self-test-");
        try {
            return run(workload, root, !serveOnly, System.out, System.err);
        } finally {
            if (mlRoot == null) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** What a self-test trains on and how it checks the served model. */
    private record Workload(Writer layout, Checker check) {}

    @FunctionalInterface
    private interface Writer {
        void write(Path root) throws IOException;
    }

    @FunctionalInterface
    private interface Checker {
        void check(Client http) throws IOException;
    }

    private static final Workload TABULAR =
            new Workload(SelfTest::writeTabular, SelfTest::checkTabular);
    private static final Workload LOG_ANOMALY =
            new Workload(SelfTest::writeSessions, SelfTest::checkSessions);

    static int run(Workload workload, Path root, boolean train, PrintStream out, PrintStream err)
            throws Exception {
        try {
            if (train) {
                workload.layout().write(root);
                if (TrainingJob.run(Map.of("BYOE_ML_ROOT", root.toString()), out, err) != 0) {
                    err.println(
                            "self-test: training failed: "
                                    + Files.readString(root.resolve("output/failure")));
                    return 1;
                }
            }
            try (ServeCommand.Running server =
                    ServeCommand.start(
                            Map.of(
                                    "BYOE_ML_ROOT",
                                    root.toString(),
                                    "SAGEMAKER_BIND_TO_PORT",
                                    "0"))) {
                Client http = new Client(URI.create("http://127.0.0.1:" + server.port()));
                expect(http.send("/ping", null, null), 200, "");
                workload.check().check(http);
            }
            out.println("self-test passed");
            return 0;
        } catch (AssertionError e) {
            err.println("self-test failed: " + e.getMessage());
            return 1;
        }
    }

    private static void writeTabular(Path root) throws IOException {
        Files.createDirectories(root.resolve("input/config"));
        Files.createDirectories(root.resolve("input/data/train"));
        Files.writeString(
                root.resolve("input/config/hyperparameters.json"),
                "{\"k_fold\": \"2\", \"num_round\": \"20\", \"max_depth\": \"3\"}");
        StringBuilder csv = new StringBuilder("y,x1,x2,colour\n");
        Random r = new Random(1);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 200; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            int c = r.nextInt(3);
            double y = 2 * x1 - x2 + c + 0.1 * r.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%s%n", y, x1, x2, colours[c]));
        }
        Files.writeString(root.resolve("input/data/train/data.csv"), csv);
    }

    private static void checkTabular(Client http) throws IOException {
        expectRows(http.invoke("text/csv", "0.5,-1,red\n1.5,0.2,blue\n"), 2, "\n");
        expect(
                http.invoke(
                        "application/json",
                        "{\"instances\": [{\"x1\": 0.5, \"x2\": -1, \"colour\": \"green\"}]}"),
                200,
                "\"score\"");
        expect(http.invoke("application/jsonlines", "[0.5, -1, \"red\"]\n"), 200, "\"score\"");
        expect(http.invoke("text/csv", "0.5,oops,red\n"), 400, "row 1, column 2");
    }

    /**
     * Sessions shaped like HDFS blocks (allocate, three replicas written, each replica's steps),
     * with the counts varying so that the network has something to learn; unlabelled, as most
     * users' logs are.
     */
    private static void writeSessions(Path root) throws IOException {
        Files.createDirectories(root.resolve("input/config"));
        Files.createDirectories(root.resolve("input/data/train"));
        Files.writeString(
                root.resolve("input/config/hyperparameters.json"),
                "{\"task\": \"log_anomaly\", \"members\": \"deeplog\","
                        + " \"deeplog.epochs\": \"2\"}");
        StringBuilder csv = new StringBuilder("BlockId,EventSequence\n");
        Random r = new Random(1);
        for (int i = 0; i < 600; i++) {
            csv.append("blk_").append(i).append(",E22 E5 E5 E5");
            for (int k = 2 + r.nextInt(3); k > 0; k--) {
                csv.append(" E26");
            }
            for (int k = 2 + r.nextInt(3); k > 0; k--) {
                csv.append(" E11 E9");
            }
            csv.append('\n');
        }
        Files.writeString(root.resolve("input/data/train/sessions.csv"), csv);
    }

    private static void checkSessions(Client http) throws IOException {
        expectRows(
                http.invoke(
                        "text/csv",
                        "BlockId,EventSequence\nblk_a,E22 E5 E5 E5 E26 E26 E11 E9 E11 E9\n"
                                + "blk_b,E22 E5\n"),
                2,
                "blk_b");
        expect(
                http.invoke(
                        "application/json",
                        "{\"sessions\": [{\"id\": \"c\", \"events\": [22, 5, 5, 5, 26]}]}"),
                200,
                "\"deeplog\"");
        expect(http.invoke("text/csv", "BlockId,EventSequence\nblk_d,E22 Ex\n"), 400, "");
    }

    private record Answer(String what, int status, String body) {}

    /**
     * The JDK's plain URL connection rather than its HTTP client: the image records its AOT caches
     * from this run, and the client (with the TLS classes it initialises) would add ~700 classes
     * that a server never loads.
     */
    private record Client(URI base) {
        Answer invoke(String type, String body) throws IOException {
            return send("/invocations", type, body);
        }

        Answer send(String path, String type, String body) throws IOException {
            HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
            try {
                if (body != null) {
                    c.setRequestMethod("POST");
                    c.setRequestProperty("Content-Type", type);
                    c.setDoOutput(true);
                    c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
                }
                int status = c.getResponseCode();
                try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                    String text =
                            in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    return new Answer((body == null ? "GET " : "POST ") + path, status, text);
                }
            } finally {
                c.disconnect();
            }
        }
    }

    /** A 200 with one answer line per row sent. */
    private static void expectRows(Answer r, int rows, String fragment) {
        expect(r, 200, fragment);
        if (r.body().strip().split("\n").length != rows) {
            throw new AssertionError(r.what() + ": " + rows + " rows sent, answered " + r.body());
        }
    }

    private static void expect(Answer r, int status, String fragment) {
        if (r.status() != status || !r.body().contains(fragment)) {
            throw new AssertionError(r.what() + " answered " + r.status() + " " + r.body());
        }
    }
}
