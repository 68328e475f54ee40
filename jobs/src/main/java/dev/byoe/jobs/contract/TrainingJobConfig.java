package dev.byoe.jobs.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The three JSON files SageMaker writes under {@code input/config}: hyperparameters (string to
 * string), channels, and the hosts of the job.
 */
public record TrainingJobConfig(
        Map<String, String> hyperparameters,
        Map<String, ChannelConfig> channels,
        String currentHost,
        List<String> hosts) {
    private static final ObjectMapper JSON = Json.MAPPER;

    public static TrainingJobConfig read(MlPaths paths) {
        return new TrainingJobConfig(
                readHyperparameters(paths.hyperparameters()),
                readChannels(paths),
                readCurrentHost(paths.resourceConfig()),
                readHosts(paths.resourceConfig()));
    }

    /** The first host listed leads (log-anomaly training runs on it alone). */
    public boolean isLeader() {
        return hosts.isEmpty() || hosts.getFirst().equals(currentHost);
    }

    /**
     * Every host fails, naming the channels, when a channel is sharded across several hosts and the
     * model trains on the leader alone (log-anomaly training): the other hosts' shares would be
     * left out without a word.
     */
    public void refuseShardedChannels() {
        if (hosts.size() < 2) {
            return;
        }
        List<String> sharded =
                channels.values().stream()
                        .filter(c -> "ShardedByS3Key".equalsIgnoreCase(c.distribution()))
                        .map(ChannelConfig::name)
                        .toList();
        if (!sharded.isEmpty()) {
            throw new JobFailure(
                    "channel(s) "
                            + sharded
                            + " use S3DistributionType ShardedByS3Key on "
                            + hosts.size()
                            + " hosts ("
                            + currentHost
                            + " is one): each host would get only its share of the files, and byoe "
                            + "trains a log-anomaly model on the leader alone, so the other shares would be silently left out. Use "
                            + "FullyReplicated, or InstanceCount 1");
        }
    }

    private static Map<String, String> readHyperparameters(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        JsonNode root = parse(file);
        if (!root.isObject()) {
            throw new JobFailure(file + " must hold a JSON object of hyperparameters");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            // SageMaker sends strings; local tools sometimes write numbers or booleans.
            out.put(e.getKey(), v.isTextual() ? v.textValue() : v.toString());
        }
        return out;
    }

    private static Map<String, ChannelConfig> readChannels(MlPaths paths) {
        Map<String, ChannelConfig> out = new LinkedHashMap<>();
        Path file = paths.inputDataConfig();
        if (!Files.exists(file)) {
            // Local runs without the file: every folder under input/data is a File-mode channel.
            if (Files.isDirectory(paths.data())) {
                try (Stream<Path> s = Files.list(paths.data())) {
                    s.filter(Files::isDirectory)
                            .sorted()
                            .forEach(
                                    p -> {
                                        String name = p.getFileName().toString();
                                        out.put(
                                                name,
                                                new ChannelConfig(
                                                        name,
                                                        null,
                                                        "File",
                                                        "FullyReplicated",
                                                        "None"));
                                    });
                } catch (IOException e) {
                    throw new JobFailure("cannot list " + paths.data() + ": " + e.getMessage(), e);
                }
            }
            return out;
        }
        JsonNode root = parse(file);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode c = e.getValue();
            out.put(
                    e.getKey(),
                    new ChannelConfig(
                            e.getKey(),
                            text(c, "ContentType"),
                            text(c, "TrainingInputMode"),
                            text(c, "S3DistributionType"),
                            text(c, "CompressionType")));
        }
        return out;
    }

    private static String readCurrentHost(Path file) {
        if (!Files.exists(file)) {
            return "algo-1";
        }
        String host = text(parse(file), "current_host");
        return host == null ? "algo-1" : host;
    }

    private static List<String> readHosts(Path file) {
        List<String> hosts = new ArrayList<>();
        if (Files.exists(file)) {
            JsonNode h = parse(file).get("hosts");
            if (h != null && h.isArray()) {
                h.forEach(n -> hosts.add(n.asText()));
            }
        }
        return hosts;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static JsonNode parse(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new JobFailure(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new JobFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
