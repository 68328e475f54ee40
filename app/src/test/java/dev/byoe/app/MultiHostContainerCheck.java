package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on several hosts as SageMaker runs it: one container of the image per host on a
 * user-defined Docker network, each answering to its SageMaker name ({@code algo-1}...) through
 * Docker's DNS, each with its own {@code /opt/ml} and {@code resourceconfig.json}. No address
 * override: the hosts find the leader by name.
 */
class MultiHostContainerCheck {
    @TempDir Path tmp;
    private String network;
    private final List<String> containers = new ArrayList<>();

    @BeforeEach
    void createNetwork() throws Exception {
        network = "byoe-hosts-" + UUID.randomUUID().toString().substring(0, 8);
        Docker.ok("network", "create", network);
    }

    @AfterEach
    void removeNetwork() throws Exception {
        for (String c : containers) {
            Docker.run("rm", "-f", c);
        }
        Docker.run("network", "rm", network);
    }

    private List<MlLayout> layouts(String name, int count, Map<String, String> hp, Path data)
            throws IOException {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            hosts.add("algo-" + i);
        }
        List<MlLayout> out = new ArrayList<>();
        for (String host : hosts) {
            out.add(
                    new MlLayout(tmp.resolve(name).resolve(host))
                            .host(host, hosts)
                            .hyperparameters(hp)
                            .channel("train", data));
        }
        ImageContainerCheck.openUp(tmp);
        return out;
    }

    /** Starts one container per host, named by host on the network; returns their ids. */
    private List<String> start(List<MlLayout> layouts) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < layouts.size(); i++) {
            String host = "algo-" + (i + 1);
            String id =
                    Docker.ok(
                            "run",
                            "-d",
                            "--network",
                            network,
                            "--network-alias",
                            host,
                            "--hostname",
                            host,
                            // Three hosts share this machine's two cores.
                            "--cpus",
                            "1",
                            "-v",
                            layouts.get(i).root + ":/opt/ml",
                            Docker.IMAGE,
                            "train");
            containers.add(id);
            ids.add(id);
        }
        return ids;
    }

    private static int exit(String id) throws Exception {
        return Integer.parseInt(Docker.ok("wait", id));
    }

    private static Byoe.Result logs(String id) throws Exception {
        return Docker.run("logs", id);
    }

    private static Map<String, String> hp(String... kv) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("silence_timeout", "10"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void threeContainersTrainCalHousingAndAdultAsOneHostDoes() throws Exception {
        check(
                "cal",
                hp("target_column", "medianHouseValue", "k_fold", "3", "num_round", "60"),
                MlLayout.data("cal_housing/train.csv"),
                "medianHouseValue");
        check(
                "adult",
                hp(
                        "target_column",
                        "label",
                        "objective",
                        "binary",
                        "k_fold",
                        "3",
                        "num_round",
                        "40"),
                MlLayout.data("adult-sample.csv"),
                "label");
    }

    private void check(String name, Map<String, String> hp, Path data, String label)
            throws Exception {
        List<MlLayout> three = layouts(name + "-3", 3, hp, data);
        List<MlLayout> one = layouts(name + "-1", 1, hp, data);
        List<String> ids = start(three);
        List<Integer> exits = new ArrayList<>();
        for (String id : ids) {
            exits.add(exit(id));
        }
        String alone = start(one).getFirst();
        assertEquals(0, exit(alone), logs(alone).all());
        for (int i = 0; i < 3; i++) {
            Byoe.Result log = logs(ids.get(i));
            String host = "algo-" + (i + 1);
            assertEquals(0, exits.get(i), host + ": " + log.all());
            assertTrue(
                    log.stderr().contains(host + " holds every row"), host + ": " + log.stderr());
            assertTrue(
                    log.stderr().contains("this host's share, with the other hosts"),
                    host + " trained XGBoost on its share: " + log.stderr());
            assertTrue(
                    Pattern.compile(" fold \\d/3: trained on").matcher(log.stderr()).find(),
                    host + " trained its cross-validation units: " + log.stderr());
            assertEquals(
                    i == 0 ? 1 : 0,
                    MultiHostTrainingIT.count(
                            log.stdout(),
                            "(?m)^validation-" + (label.equals("label") ? "auc" : "rmse") + ":"),
                    host + ": metric lines once, from the leader: " + log.stdout());
            Matcher sent =
                    Pattern.compile("received (\\d+) bytes, sent (\\d+) bytes")
                            .matcher(log.stderr());
            assertTrue(sent.find() && Long.parseLong(sent.group(2)) > 0, log.stderr());
        }
        assertEquals(
                logs(alone).stdout(), logs(ids.getFirst()).stdout(), "same metrics as one host");
        MultiHostTrainingIT.assertSamePredictions(
                one.getFirst().root,
                three.getFirst().root,
                MultiHostTrainingIT.withoutLabel(data, label, 300));
    }

    @Test
    void aContainerKilledMidJobFailsTheOthersNamingIt() throws Exception {
        Path data = tmp.resolve("generated.csv");
        Files.writeString(data, MultiHostTrainingIT.generated(4000, 21));
        List<MlLayout> three =
                layouts(
                        "kill",
                        3,
                        hp("target_column", "y", "k_fold", "6", "num_round", "400"),
                        data);
        List<String> ids = start(three);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!logs(ids.get(2)).stderr().contains("trained on")) {
            assertTrue(System.nanoTime() < deadline, logs(ids.get(2)).all());
            Thread.sleep(200);
        }
        Docker.ok("kill", ids.get(2));
        for (int i = 0; i < 2; i++) {
            assertEquals(1, exit(ids.get(i)), logs(ids.get(i)).all());
            String failure = Files.readString(three.get(i).failure());
            assertTrue(failure.startsWith("host algo-3 failed: stopped answering"), failure);
        }
    }
}
