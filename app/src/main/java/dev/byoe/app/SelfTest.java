package dev.byoe.app;

import dev.byoe.jobs.train.TrainingJob;
import dev.byoe.serve.ServeCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code byoe self-test}: trains a small ensemble on generated data in a temporary /opt/ml layout,
 * serves it on a free loopback port and checks a few answers. It proves an image works where it
 * runs, and it is the workload the image build records its class-data (AOT) cache from.
 */
@Command(
        name = "self-test",
        description = "Trains and serves a small generated ensemble and checks the answers.")
final class SelfTest implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        return run(System.out, System.err);
    }

    static int run(PrintStream out, PrintStream err) throws Exception {
        Path root = Files.createTempDirectory("byoe-self-test-");
        try {
            writeLayout(root);
            if (TrainingJob.run(Map.of("BYOE_ML_ROOT", root.toString()), out, err) != 0) {
                err.println(
                        "self-test: training failed: "
                                + Files.readString(root.resolve("output/failure")));
                return 1;
            }
            try (ServeCommand.Running server =
                    ServeCommand.start(
                            Map.of(
                                    "BYOE_ML_ROOT",
                                    root.toString(),
                                    "SAGEMAKER_BIND_TO_PORT",
                                    "0"))) {
                check(server.port());
            }
            out.println("self-test passed");
            return 0;
        } catch (AssertionError e) {
            err.println("self-test failed: " + e.getMessage());
            return 1;
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void writeLayout(Path root) throws IOException {
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

    private static void check(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        expect(
                http.send(
                        HttpRequest.newBuilder(base.resolve("/ping")).build(),
                        HttpResponse.BodyHandlers.ofString()),
                200,
                "");
        HttpResponse<String> csv = post(http, base, "text/csv", "0.5,-1,red\n1.5,0.2,blue\n");
        expect(csv, 200, "\n");
        if (csv.body().strip().split("\n").length != 2) {
            throw new AssertionError("two CSV rows gave: " + csv.body());
        }
        expect(
                post(
                        http,
                        base,
                        "application/json",
                        "{\"instances\": [{\"x1\": 0.5, \"x2\": -1, \"colour\": \"green\"}]}"),
                200,
                "\"score\"");
        expect(post(http, base, "application/jsonlines", "[0.5, -1, \"red\"]\n"), 200, "\"score\"");
        expect(post(http, base, "text/csv", "0.5,oops,red\n"), 400, "row 1, column 2");
    }

    private static HttpResponse<String> post(HttpClient http, URI base, String type, String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/invocations"))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status, String fragment) {
        if (r.statusCode() != status || !r.body().contains(fragment)) {
            throw new AssertionError(
                    r.request().uri() + " answered " + r.statusCode() + " " + r.body());
        }
    }
}
