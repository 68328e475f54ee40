package dev.byoe.jobs.process;

import dev.byoe.core.data.CsvRecordReader;
import dev.byoe.core.data.CsvText;
import dev.byoe.core.io.Compressed;
import dev.byoe.core.io.LineReader;
import dev.byoe.jobs.contract.JobFailure;
import dev.byoe.model.logs.Drain;
import dev.byoe.model.logs.LogFormat;
import dev.byoe.model.logs.LogParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Streams log files through Drain in one pass. Lines are read in batches; splitting, masking and
 * tokenising run on all cores; learning runs on one thread in input order, so the result is the
 * same as a single-threaded run. Without a saved parser it learns and writes each line's cluster,
 * then renames clusters to final event ids (a cheap rewrite of the structured file); with one
 * ({@code --drain-state}) it labels lines with the frozen parser directly.
 */
public final class LogProcessor {
    private static final int BATCH = 4096;
    private static final int MALFORMED_EXAMPLES = 5;

    private final ProcessOptions options;
    private final LogParser parser;
    private final boolean learning;
    private final Sessions sessions;
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final List<String> malformedExamples = new ArrayList<>();
    private long lines;
    private long malformed;
    private long unknown;
    private long[] occurrences = new long[16];

    /** One batch after the parallel part: fields and tokens per line (null fields = malformed). */
    private record Prepared(
            String source,
            long firstLine,
            long firstId,
            String[] raw,
            String[][] fields,
            String[][] tokens,
            String[] csvPrefix) {}

    public LogProcessor(ProcessOptions options) throws IOException {
        this.options = options;
        if (options.drainState() != null) {
            if (!Files.isRegularFile(options.drainState())) {
                throw new JobFailure("--drain-state " + options.drainState() + " does not exist");
            }
            this.parser = LogParser.load(options.drainState());
            this.learning = false;
        } else {
            try {
                this.parser =
                        new LogParser(
                                new LogFormat(options.logFormat()), new Drain(options.drain()));
            } catch (IllegalArgumentException e) {
                throw new JobFailure("--log-format: " + e.getMessage());
            }
            this.learning = true;
        }
        this.sessions = new Sessions(options, parser.format().fields());
    }

    public Map<String, Object> run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Path> files = inputFiles();
        Path out = Files.createDirectories(options.output());
        Path structured = out.resolve("structured.csv");
        Path pending = learning ? out.resolve(".structured-clusters.csv") : structured;
        ExecutorService pool =
                options.threads() > 1 ? Executors.newFixedThreadPool(options.threads()) : null;
        try (Writer w =
                options.structured()
                        ? Files.newBufferedWriter(pending, StandardCharsets.UTF_8)
                        : Writer.nullWriter()) {
            w.write(header());
            Deque<Future<Prepared>> inFlight = new ArrayDeque<>();
            for (Path file : files) {
                readFile(
                        file,
                        batch -> {
                            if (pool == null) {
                                consume(prepare(batch), w);
                                return;
                            }
                            inFlight.add(pool.submit(() -> prepare(batch)));
                            while (inFlight.size() > 2 * options.threads()) {
                                consume(take(inFlight.poll()), w);
                            }
                        });
                while (!inFlight.isEmpty()) {
                    consume(take(inFlight.poll()), w);
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        if (learning) {
            parser.freeze();
            if (options.structured()) {
                renameClusters(pending, structured);
            }
        }
        parser.save(out.resolve("drain.json"));
        writeTemplates(out.resolve("templates.csv"));
        Map<String, Integer> labels =
                options.labels() == null ? null : readLabels(options.labels());
        if (sessions.enabled()) {
            writeSessions(out, labels);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        summary.put("files", files.stream().map(Path::toString).toList());
        summary.put("lines", lines);
        summary.put("parsed", lines - malformed);
        summary.put("malformed", malformed);
        summary.put("malformed_examples", malformedExamples);
        summary.put("mode", learning ? "learn" : "apply");
        summary.put("events", parser.events().size() - 1);
        summary.put("unknown_event_lines", unknown);
        summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
        summary.put("lines_per_second", Math.round(lines / Math.max(seconds, 1e-9)));
        new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValue(out.resolve("summary.json").toFile(), summary);
        return summary;
    }

    private List<Path> inputFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : options.inputs()) {
            if (Files.isRegularFile(in)) {
                files.add(in);
            } else if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(files::add);
                }
            } else {
                throw new JobFailure("input " + in + " does not exist");
            }
        }
        if (files.isEmpty()) {
            throw new JobFailure("no log files in " + options.inputs());
        }
        return files;
    }

    private interface BatchSink {
        void accept(Batch batch) throws IOException, InterruptedException;
    }

    private record Batch(String source, long firstLine, long firstId, String[] lines) {}

    private void readFile(Path file, BatchSink sink) throws IOException, InterruptedException {
        try (InputStream in = Compressed.open(Files.newInputStream(file))) {
            LineReader reader = new LineReader(in);
            long lineInFile = 0;
            String[] buf = new String[BATCH];
            int n = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                buf[n++] = line;
                if (n == BATCH) {
                    sink.accept(new Batch(file.toString(), lineInFile + 1, lines + 1, buf));
                    lineInFile += n;
                    lines += n;
                    buf = new String[BATCH];
                    n = 0;
                }
            }
            if (n > 0) {
                sink.accept(
                        new Batch(
                                file.toString(), lineInFile + 1, lines + 1, Arrays.copyOf(buf, n)));
                lines += n;
            }
        }
    }

    /**
     * The part that needs no shared state: header split, masking, tokens, the CSV text of the line.
     */
    private Prepared prepare(Batch b) {
        int n = b.lines().length;
        String[][] fields = new String[n][];
        String[][] tokens = new String[n][];
        String[] prefix = options.structured() ? new String[n] : null;
        int content = parser.format().contentIndex();
        StringBuilder sb = new StringBuilder(256);
        for (int i = 0; i < n; i++) {
            String[] f = parser.fields(b.lines()[i]);
            fields[i] = f;
            if (f != null) {
                tokens[i] = parser.drain().tokens(f[content]);
                if (prefix != null) {
                    sb.setLength(0);
                    sb.append(b.firstId() + i);
                    for (String field : f) {
                        sb.append(',');
                        CsvText.append(sb, field);
                    }
                    prefix[i] = sb.toString();
                }
            }
        }
        return new Prepared(
                b.source(), b.firstLine(), b.firstId(), b.lines(), fields, tokens, prefix);
    }

    /** In input order: learn or match, count, append to sessions, write the structured row. */
    private void consume(Prepared p, Writer w) throws IOException {
        int content = parser.format().contentIndex();
        for (int i = 0; i < p.raw().length; i++) {
            String[] f = p.fields()[i];
            if (f == null) {
                malformed++;
                if (malformedExamples.size() < MALFORMED_EXAMPLES) {
                    malformedExamples.add(
                            p.source()
                                    + " line "
                                    + (p.firstLine() + i)
                                    + ": "
                                    + abbreviate(p.raw()[i]));
                }
                continue;
            }
            int id;
            if (learning) {
                id = parser.drain().learn(p.tokens()[i]);
            } else {
                id = parser.eventOfCluster(parser.drain().match(p.tokens()[i]));
                if (id == Drain.UNKNOWN) {
                    unknown++;
                }
                count(id);
            }
            sessions.add(f, f[content], id);
            if (p.csvPrefix() != null) {
                w.write(p.csvPrefix()[i]);
                w.write(learning ? ",C" : ",E");
                w.write(Integer.toString(id));
                w.write('\n');
            }
        }
    }

    private void count(int event) {
        count(event, 1);
    }

    private void count(int event, long lines) {
        if (event >= occurrences.length) {
            occurrences = Arrays.copyOf(occurrences, Math.max(event + 1, occurrences.length * 2));
        }
        occurrences[event] += lines;
    }

    private static Prepared take(Future<Prepared> f) throws InterruptedException, IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private String header() {
        StringBuilder sb = new StringBuilder("LineId");
        for (String f : parser.format().fields()) {
            sb.append(',').append(f);
        }
        return sb.append(",EventId\n").toString();
    }

    /** Cluster ids to event ids, now that the templates are final. */
    private void renameClusters(Path pending, Path structured) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(pending, StandardCharsets.UTF_8);
                BufferedWriter w = Files.newBufferedWriter(structured, StandardCharsets.UTF_8)) {
            w.write(r.readLine());
            w.write('\n');
            String line;
            while ((line = r.readLine()) != null) {
                int cut = line.lastIndexOf(",C");
                int event =
                        parser.eventOfCluster(Integer.parseInt(line, cut + 2, line.length(), 10));
                count(event);
                w.write(line, 0, cut);
                w.write(",E");
                w.write(Integer.toString(event));
                w.write('\n');
            }
        }
        Files.delete(pending);
    }

    private void writeTemplates(Path file) throws IOException {
        if (learning && !options.structured()) {
            for (Drain.Cluster c : parser.drain().clusters()) {
                count(parser.eventOfCluster(c.id()), c.size());
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("EventId,EventTemplate,Occurrences\n");
            List<String> events = parser.events();
            for (int e = 1; e < events.size(); e++) {
                StringBuilder sb = new StringBuilder("E").append(e).append(',');
                CsvText.append(sb, events.get(e));
                w.write(
                        sb.append(',')
                                .append(e < occurrences.length ? occurrences[e] : 0)
                                .append('\n')
                                .toString());
            }
        }
    }

    private void writeSessions(Path out, Map<String, Integer> labels) throws IOException {
        int events = parser.events().size() - 1;
        long labelled = 0;
        long anomalies = 0;
        try (BufferedWriter seq =
                        Files.newBufferedWriter(
                                out.resolve("sessions.csv"), StandardCharsets.UTF_8);
                BufferedWriter counts =
                        Files.newBufferedWriter(
                                out.resolve("event_counts.csv"), StandardCharsets.UTF_8)) {
            seq.write(
                    labels != null
                            ? "SessionId,Label,Length,EventSequence\n"
                            : "SessionId,Length,EventSequence\n");
            StringBuilder head =
                    new StringBuilder(labels != null ? "SessionId,Label" : "SessionId");
            for (int e = 0; e <= events; e++) {
                head.append(",E").append(e);
            }
            counts.write(head.append('\n').toString());
            for (String key : sessions.keys()) {
                int[] ids = sessions.sequence(key);
                long[] c = new long[events + 1];
                StringBuilder s = new StringBuilder();
                CsvText.append(s, key);
                String label = "";
                if (labels != null) {
                    Integer l = labels.get(key);
                    label = l == null ? "" : l.toString();
                    if (l != null) {
                        labelled++;
                        anomalies += l;
                    }
                    s.append(',').append(label);
                }
                s.append(',').append(ids.length).append(',');
                for (int i = 0; i < ids.length; i++) {
                    int event = learning ? parser.eventOfCluster(ids[i]) : ids[i];
                    c[event]++;
                    if (i > 0) {
                        s.append(' ');
                    }
                    s.append('E').append(event);
                }
                seq.write(s.append('\n').toString());
                StringBuilder row = new StringBuilder();
                CsvText.append(row, key);
                if (labels != null) {
                    row.append(',').append(label);
                }
                for (long v : c) {
                    row.append(',').append(v);
                }
                counts.write(row.append('\n').toString());
            }
        }
        summary.put("sessions", sessions.count());
        summary.put("lines_without_session", sessions.linesWithoutSession);
        if (labels != null) {
            summary.put("sessions_labelled", labelled);
            summary.put("sessions_unlabelled", sessions.count() - labelled);
            summary.put("anomalous_sessions", anomalies);
        }
    }

    /** {@code id,label} rows (a header row is skipped); labels Anomaly/Normal, 1/0, true/false. */
    static Map<String, Integer> readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new JobFailure("--labels " + file + " does not exist");
        }
        Map<String, Integer> out = new java.util.HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvRecordReader reader = new CsvRecordReader(r);
            String[] rec;
            boolean first = true;
            while ((rec = reader.next()) != null) {
                if (rec.length < 2) {
                    throw new JobFailure(
                            file + " line " + reader.recordLine() + ": expected 'id,label'");
                }
                String label = rec[1].strip().toLowerCase(Locale.ROOT);
                Integer v =
                        switch (label) {
                            case "anomaly", "abnormal", "1", "true", "yes" -> 1;
                            case "normal", "0", "false", "no" -> 0;
                            default -> null;
                        };
                if (v == null) {
                    if (first) {
                        first = false;
                        continue;
                    }
                    throw new JobFailure(
                            file
                                    + " line "
                                    + reader.recordLine()
                                    + ": label '"
                                    + rec[1]
                                    + "' is not Anomaly/Normal, 1/0 or true/false");
                }
                first = false;
                out.put(rec[0].strip(), v);
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
