package dev.byoe.logs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw log lines to event ids: a {@link LogFormat} finds the content, {@link Drain} finds its
 * cluster, and a vocabulary numbers the distinct final templates 1..n (0 is the unknown event). Two
 * clusters that end with the same template text are one event, as in LogPAI's output.
 *
 * <p>Learn on training data, {@link #freeze()}, then {@link #event} labels any line the same way
 * every time; the state saves to a JSON data file with the tree itself, since the tree cannot be
 * rebuilt from the final templates.
 */
public final class LogParser {
    public static final String FORMAT = "byoe-drain/1";
    private static final ObjectMapper JSON = Json.MAPPER;

    private final LogFormat format;
    private final Drain drain;
    private int[] clusterToEvent = new int[1];
    private List<String> events = List.of("<unknown>");
    private boolean frozen;

    public LogParser(LogFormat format, Drain drain) {
        this.format = format;
        this.drain = drain;
    }

    public LogFormat format() {
        return format;
    }

    public Drain drain() {
        return drain;
    }

    /** The line's header fields and content, or {@code null} when it does not match the format. */
    public String[] fields(String line) {
        String[] out = new String[format.fields().size()];
        return format.split(line, out) ? out : null;
    }

    /** Learns from one line's content; returns its cluster id. */
    public int learn(String content) {
        if (frozen) {
            throw new IllegalStateException("the parser is frozen");
        }
        return drain.learn(drain.tokens(content));
    }

    /** Numbers the events from the clusters' final templates; learning ends here. */
    public void freeze() {
        Map<String, Integer> byTemplate = new LinkedHashMap<>();
        List<Drain.Cluster> clusters = drain.clusters();
        int[] map = new int[clusters.size() + 1];
        for (Drain.Cluster c : clusters) {
            map[c.id()] = byTemplate.computeIfAbsent(c.template(), t -> byTemplate.size() + 1);
        }
        List<String> names = new ArrayList<>();
        names.add("<unknown>");
        names.addAll(byTemplate.keySet());
        this.clusterToEvent = map;
        this.events = List.copyOf(names);
        this.frozen = true;
    }

    public boolean frozen() {
        return frozen;
    }

    /** Event of a cluster id returned by {@link #learn} (after {@link #freeze()}). */
    public int eventOfCluster(int clusterId) {
        return clusterId < clusterToEvent.length ? clusterToEvent[clusterId] : Drain.UNKNOWN;
    }

    /**
     * Event id of a content string, without learning; 0 when no cluster accepts it. Thread-safe.
     */
    public int event(String content) {
        if (!frozen) {
            throw new IllegalStateException("freeze() the parser before matching");
        }
        return eventOfCluster(drain.match(drain.tokens(content)));
    }

    /** Event templates by id; index 0 is the unknown event. */
    public List<String> events() {
        return events;
    }

    public void save(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
    }

    /** Writes the frozen parser as JSON, {@link #read} reads it back; the stream stays open. */
    public void write(OutputStream out) throws IOException {
        if (!frozen) {
            throw new IllegalStateException("freeze() the parser before saving it");
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("log_format", format.text());
        Drain.Settings s = drain.settings();
        ObjectNode settings = root.putObject("settings");
        settings.put("depth", s.depth());
        settings.put("st", s.st());
        settings.put("max_children", s.maxChildren());
        ArrayNode masks = settings.putArray("masks");
        s.masks().forEach(masks::add);
        ArrayNode clusters = root.putArray("clusters");
        for (Drain.Cluster c : drain.clusters()) {
            ObjectNode n = clusters.addObject();
            n.put("id", c.id());
            n.put("event", clusterToEvent[c.id()]);
            n.put("size", c.size());
            ArrayNode t = n.putArray("template");
            Arrays.stream(c.template).forEach(t::add);
        }
        ObjectNode tree = root.putObject("tree");
        drain.byLength.forEach((len, node) -> tree.set(Integer.toString(len), node(node)));
        JSON.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, root);
    }

    private static ObjectNode node(Drain.Node node) {
        ObjectNode n = JSON.createObjectNode();
        if (!node.children.isEmpty()) {
            ObjectNode children = n.putObject("children");
            node.children.forEach((token, child) -> children.set(token, node(child)));
        }
        if (!node.clusters.isEmpty()) {
            ArrayNode ids = n.putArray("clusters");
            node.clusters.forEach(c -> ids.add(c.id()));
        }
        return n;
    }

    /** Loads a parser {@link #save}d earlier, frozen. */
    public static LogParser load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a parser {@link #write}n earlier, frozen; {@code name} says where it came from. */
    public static LogParser read(InputStream in, String name) throws IOException {
        JsonNode root = JSON.readTree(in);
        Object file = name;
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(file + " is not a " + FORMAT + " file");
        }
        JsonNode s = root.get("settings");
        List<String> masks = new ArrayList<>();
        s.get("masks").forEach(m -> masks.add(m.asText()));
        Drain drain =
                new Drain(
                        new Drain.Settings(
                                s.get("depth").asInt(),
                                s.get("st").asDouble(),
                                s.get("max_children").asInt(),
                                masks));
        List<Drain.Cluster> byId = new ArrayList<>();
        byId.add(null);
        int[] map = new int[root.get("clusters").size() + 1];
        for (JsonNode n : root.get("clusters")) {
            List<String> t = new ArrayList<>();
            n.get("template").forEach(x -> t.add(x.asText()));
            Drain.Cluster c = new Drain.Cluster(n.get("id").asInt(), t.toArray(new String[0]));
            c.size = n.get("size").asLong();
            if (c.id() != byId.size()) {
                throw new IOException(file + ": cluster ids must be 1..n in order");
            }
            byId.add(c);
            drain.clusters.add(c);
            map[c.id()] = n.get("event").asInt();
        }
        for (Map.Entry<String, JsonNode> e : root.get("tree").properties()) {
            drain.byLength.put(Integer.parseInt(e.getKey()), node(e.getValue(), byId));
        }
        LogParser parser = new LogParser(new LogFormat(root.get("log_format").asText()), drain);
        int events = Arrays.stream(map).max().orElse(0);
        String[] names = new String[events + 1];
        names[0] = "<unknown>";
        for (Drain.Cluster c : drain.clusters) {
            names[map[c.id()]] = c.template();
        }
        parser.clusterToEvent = map;
        parser.events = List.of(names);
        parser.frozen = true;
        return parser;
    }

    private static Drain.Node node(JsonNode json, List<Drain.Cluster> byId) {
        Drain.Node n = new Drain.Node();
        json.path("children")
                .properties()
                .forEach(e -> n.children.put(e.getKey(), node(e.getValue(), byId)));
        json.path("clusters").forEach(id -> n.clusters.add(byId.get(id.asInt())));
        return n;
    }
}
