package dev.byoe.model.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.core.Json;
import dev.byoe.logs.LogParser;
import dev.byoe.model.MemberTimes;
import dev.byoe.model.WorkDeadline;
import dev.byoe.model.artifact.Checksums;
import dev.byoe.model.member.MemberException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A trained log-anomaly model: its members with their calibrations and weights, the decision
 * threshold of their weighted average, the number of event ids they know, and optionally the frozen
 * Drain parser and session rule that turn raw log lines into sessions. Written as {@code
 * manifest.json} (format {@value #FORMAT}) with one folder per member and {@code drain.json};
 * loaded all or nothing. Thread-safe once loaded.
 */
public final class LogAnomalyModel implements AutoCloseable {
    public static final String FORMAT = "byoe-log-anomaly/1";
    public static final String DRAIN_FILE = "drain.json";
    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * A member's answer for a batch: its raw scores, their calibrated probabilities, its own
     * threshold on them.
     */
    public record MemberScores(
            String name, AnomalyScores scores, double[] probabilities, double threshold) {
        public int[] labels() {
            int[] out = new int[probabilities.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = probabilities[i] > threshold ? 1 : 0;
            }
            return out;
        }
    }

    /**
     * Per-member answers, the weighted average probability and the verdict (probability above
     * threshold).
     */
    public record Result(
            SessionBatch sessions,
            List<MemberScores> members,
            double[] probabilities,
            double threshold,
            int[] labels) {}

    /** Sessions cut from raw lines, with what could not be used. */
    public record ParsedLines(
            SessionBatch sessions,
            long lines,
            long linesWithoutSession,
            long linesNotMatchingFormat) {}

    private final ObjectNode manifest;
    private final int eventCount;
    private final List<String> names;
    private final List<AnomalyDetector> members;
    private final List<Calibration> calibrations;
    private final double[] memberThresholds;
    private final double[] weights;
    private final double threshold;
    private final LogParser parser;
    private final Pattern sessionId;

    public LogAnomalyModel(
            ObjectNode manifest,
            int eventCount,
            List<String> names,
            List<AnomalyDetector> members,
            List<Calibration> calibrations,
            double[] memberThresholds,
            double[] weights,
            double threshold,
            LogParser parser,
            Pattern sessionId) {
        this.manifest = manifest;
        this.eventCount = eventCount;
        this.names = List.copyOf(names);
        this.members = List.copyOf(members);
        this.calibrations = List.copyOf(calibrations);
        this.memberThresholds = memberThresholds.clone();
        this.weights = weights.clone();
        this.threshold = threshold;
        this.parser = parser;
        this.sessionId = sessionId;
        if (calibrations.size() != members.size()
                || weights.length != members.size()
                || memberThresholds.length != members.size()) {
            throw new IllegalArgumentException("one calibration, weight and threshold per member");
        }
    }

    /**
     * Weighted average per session of the members' probabilities ({@code
     * probabilities[member][session]}).
     */
    public static double[] average(double[][] probabilities, double[] weights) {
        double total = Arrays.stream(weights).sum();
        double[] out = new double[probabilities[0].length];
        for (int m = 0; m < probabilities.length; m++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += weights[m] * probabilities[m][i] / total;
            }
        }
        return out;
    }

    /** Whether {@code directory} holds a log-anomaly model (rather than a tabular ensemble). */
    public static boolean isLogModel(Path directory) {
        try {
            JsonNode root = JSON.readTree(directory.resolve("manifest.json").toFile());
            return root != null && FORMAT.equals(root.path("format").asText());
        } catch (IOException e) {
            return false;
        }
    }

    public static LogAnomalyModel load(Path directory) throws IOException, MemberException {
        Checksums.verify(directory);
        JsonNode root = JSON.readTree(directory.resolve("manifest.json").toFile());
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(
                    "manifest.json in " + directory + " is not a " + FORMAT + " manifest");
        }
        int events = root.path("event_count").asInt(-1);
        if (events < 1) {
            throw new IOException("manifest.json: event_count missing or invalid");
        }
        List<String> names = new ArrayList<>();
        List<AnomalyDetector> loaded = new ArrayList<>();
        List<Calibration> calibrations = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Double> thresholds = new ArrayList<>();
        try {
            for (JsonNode m : root.path("members")) {
                Calibration c = JSON.treeToValue(m.get("calibration"), Calibration.class);
                if (c == null
                        || c.upperScores() == null
                        || c.probabilities() == null
                        || c.upperScores().length != c.probabilities().length
                        || c.upperScores().length == 0
                        || (c.lowerScores() != null
                                && c.lowerScores().length != c.upperScores().length)) {
                    throw new IOException(
                            "manifest.json: member "
                                    + m.path("name").asText()
                                    + " has no valid calibration");
                }
                calibrations.add(c);
                weights.add(m.path("weight").asDouble(1));
                thresholds.add(m.path("threshold").asDouble(0.5));
                String type = m.path("type").asText();
                DetectorFormat format =
                        DetectorFormats.find(type)
                                .orElseThrow(
                                        () ->
                                                new MemberException(
                                                        "model uses log member type '"
                                                                + type
                                                                + "', which this byoe does not know"));
                Path dir = directory.resolve(m.path("directory").asText()).normalize();
                if (!dir.startsWith(directory.normalize())) {
                    throw new MemberException(
                            "member directory " + dir + " is outside the model directory");
                }
                names.add(m.path("name").asText());
                loaded.add(format.load(dir));
            }
            if (loaded.isEmpty()) {
                throw new MemberException("manifest.json lists no members");
            }
            LogParser parser = null;
            Pattern session = null;
            if (root.hasNonNull("drain")) {
                parser = LogParser.load(directory.resolve(root.get("drain").asText()));
                session = Pattern.compile(root.path("session_id_regex").asText());
            }
            if (!root.path("decision_threshold").isNumber()) {
                throw new IOException("manifest.json: decision_threshold missing");
            }
            return new LogAnomalyModel(
                    (ObjectNode) root,
                    events,
                    names,
                    loaded,
                    calibrations,
                    thresholds.stream().mapToDouble(Double::doubleValue).toArray(),
                    weights.stream().mapToDouble(Double::doubleValue).toArray(),
                    root.get("decision_threshold").asDouble(),
                    parser,
                    session);
        } catch (MemberException | IOException | RuntimeException e) {
            loaded.forEach(AnomalyDetector::close);
            throw e;
        }
    }

    /**
     * Writes members into {@code members/<name>/}, the parser (if any) and the manifest. The
     * manifest's other fields (provenance, evaluation, hyperparameters) come from the caller.
     */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        ArrayNode entries = manifest.putArray("members");
        ObjectNode old = manifest.deepCopy();
        for (int i = 0; i < members.size(); i++) {
            String dir = "members/" + names.get(i);
            Path p = directory.resolve(dir);
            Files.createDirectories(p);
            members.get(i).save(p);
            ObjectNode e = entries.addObject();
            e.put("name", names.get(i));
            e.put("type", members.get(i).type());
            e.put("directory", dir);
            e.put("weight", weights[i]);
            e.put("threshold", memberThresholds[i]);
            e.set("calibration", JSON.valueToTree(calibrations.get(i)));
            JsonNode extra = old.path("member_details").path(names.get(i));
            if (extra.isObject()) {
                e.setAll((ObjectNode) extra);
            }
        }
        manifest.remove("member_details");
        manifest.put("format", FORMAT);
        manifest.put("event_count", eventCount);
        manifest.put("decision_threshold", threshold);
        ArrayNode modules = manifest.putArray("jvm_modules");
        members.stream()
                .flatMap(m -> m.jvmModules().stream())
                .distinct()
                .sorted()
                .forEach(modules::add);
        if (parser != null) {
            parser.save(directory.resolve(DRAIN_FILE));
            manifest.put("drain", DRAIN_FILE);
            manifest.put("session_id_regex", sessionId.pattern());
        } else {
            manifest.putNull("drain");
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(directory.resolve("manifest.json").toFile(), manifest);
        Checksums.write(directory);
    }

    public Result score(SessionBatch sessions) {
        return score(sessions, MemberTimes.NONE);
    }

    /** As {@link #score(SessionBatch)}, telling {@code times} how long each member took. */
    public Result score(SessionBatch sessions, MemberTimes times) {
        List<MemberScores> out = new ArrayList<>(members.size());
        double[][] p = new double[members.size()][];
        for (int m = 0; m < members.size(); m++) {
            long start = System.nanoTime();
            AnomalyScores s = members.get(m).score(sessions);
            times.record(names.get(m), System.nanoTime() - start);
            p[m] = new double[s.size()];
            for (int i = 0; i < p[m].length; i++) {
                p[m][i] = calibrations.get(m).probability(s.scores()[i]);
            }
            out.add(new MemberScores(names.get(m), s, p[m], memberThresholds[m]));
        }
        double[] combined = sessions.size() == 0 ? new double[0] : average(p, weights);
        int[] labels = new int[combined.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = combined[i] > threshold ? 1 : 0;
        }
        return new Result(sessions, out, combined, threshold, labels);
    }

    public double threshold() {
        return threshold;
    }

    /** Whether raw log lines can be scored (the model carries a Drain parser). */
    public boolean acceptsRawLines() {
        return parser != null;
    }

    /**
     * Raw log lines to sessions, as {@code process} would: each line's header is split by the log
     * format, its content matched against the frozen templates (unknown: event 0), and the event
     * appended to every distinct session id the line names, in order of first appearance.
     */
    public ParsedLines sessionsOf(List<String> lines) {
        if (parser == null) {
            throw new IllegalStateException(
                    "this model has no Drain parser; it takes sessions, not raw lines");
        }
        Map<String, List<Integer>> sessions = new LinkedHashMap<>();
        long noSession = 0;
        long noMatch = 0;
        int contentField = parser.format().fields().indexOf("Content");
        int read = 0;
        for (String line : lines) {
            if ((++read & 4095) == 0) {
                WorkDeadline.check();
            }
            if (line.isBlank()) {
                continue;
            }
            String[] fields = parser.fields(line);
            String content;
            if (fields == null) {
                noMatch++;
                content = line;
            } else {
                content = contentField >= 0 ? fields[contentField] : line;
            }
            int event = parser.event(content);
            Matcher m = sessionId.matcher(line);
            Set<String> seen = new HashSet<>(2);
            while (m.find()) {
                if (seen.add(m.group())) {
                    sessions.computeIfAbsent(m.group(), k -> new ArrayList<>()).add(event);
                }
            }
            if (seen.isEmpty()) {
                noSession++;
            }
        }
        List<String> ids = new ArrayList<>(sessions.keySet());
        int[][] events = new int[ids.size()][];
        for (int i = 0; i < events.length; i++) {
            events[i] = sessions.get(ids.get(i)).stream().mapToInt(Integer::intValue).toArray();
        }
        return new ParsedLines(new SessionBatch(ids, events), lines.size(), noSession, noMatch);
    }

    public int eventCount() {
        return eventCount;
    }

    public List<String> memberNames() {
        return names;
    }

    /** Each member's {@link AnomalyDetector#engine} that says something, as "name: engine". */
    public List<String> engines() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            String engine = members.get(i).engine();
            if (!engine.isEmpty()) {
                out.add(names.get(i) + ": " + engine);
            }
        }
        return out;
    }

    /**
     * Whether a member reads the order of events (so sessions must come as sequences, not counts).
     */
    public boolean needsEventOrder() {
        return members.stream().anyMatch(AnomalyDetector::needsEventOrder);
    }

    /** Whether a member holds native memory the C allocator does not count. */
    public boolean holdsUncountedNativeMemory() {
        return members.stream().anyMatch(AnomalyDetector::holdsUncountedNativeMemory);
    }

    public JsonNode manifest() {
        return manifest;
    }

    @Override
    public void close() {
        members.forEach(AnomalyDetector::close);
    }
}
