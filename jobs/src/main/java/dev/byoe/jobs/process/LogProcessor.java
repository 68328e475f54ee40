package dev.byoe.jobs.process;

import dev.byoe.core.JobFailure;
import dev.byoe.core.data.CsvText;
import dev.byoe.core.io.Compressed;
import dev.byoe.core.io.LineReader;
import dev.byoe.logs.Drain;
import dev.byoe.logs.LogFormat;
import dev.byoe.logs.LogParser;
import dev.byoe.logs.ProcessOptions;
import dev.byoe.logs.ProcessedFiles;
import dev.byoe.logs.SessionKeys;
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

    /**
     * Each input file's name inside the input it came from, as {@value #SESSION_PARTS} names it.
     */
    private final Map<String, String> inputNames = new LinkedHashMap<>();

    private boolean writeSessionParts;
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

    /**
     * The file a host of a sharded job writes besides the others: each session's events per input
     * file ({@code SessionId,File,Line,KeyInLine,EventSequence}; the file named inside its input,
     * the line where the session's first line in that file is), so that {@code process-join} can
     * put the sessions of every host back together in input order.
     */
    public static final String SESSION_PARTS = "session_parts.csv";

    /** Also writes {@value #SESSION_PARTS}. */
    public LogProcessor withSessionParts() {
        this.writeSessionParts = true;
        return this;
    }

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
        this.sessions = new Sessions(new SessionKeys(options, parser.format().fields()));
    }

    public Map<String, Object> run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Path> files = inputFiles();
        Path out = Files.createDirectories(options.output());
        Path structured = out.resolve(ProcessedFiles.STRUCTURED);
        Path pending = learning ? out.resolve(".structured-clusters.csv") : structured;
        ExecutorService pool =
                options.threads() > 1 ? Executors.newFixedThreadPool(options.threads()) : null;
        try (Writer w =
                options.structured()
                        ? Files.newBufferedWriter(pending, StandardCharsets.UTF_8)
                        : Writer.nullWriter()) {
            w.write(ProcessedFiles.structuredHeader(parser.format()));
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
        parser.save(out.resolve(ProcessedFiles.DRAIN));
        writeTemplates(out.resolve(ProcessedFiles.TEMPLATES));
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
                .writeValue(out.resolve(ProcessedFiles.SUMMARY).toFile(), summary);
        return summary;
    }

    private List<Path> inputFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : options.inputs()) {
            if (Files.isRegularFile(in)) {
                files.add(in);
                inputNames.put(in.toString(), in.getFileName().toString());
            } else if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(
                                    p -> {
                                        files.add(p);
                                        inputNames.put(p.toString(), in.relativize(p).toString());
                                    });
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
                    ProcessedFiles.appendStructuredPrefix(sb, b.firstId() + i, f);
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
            sessions.add(f, f[content], id, p.source(), p.firstLine() + i);
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
            ProcessedFiles.writeTemplates(w, parser.events(), occurrences);
        }
    }

    private void writeSessions(Path out, Map<String, Integer> labels) throws IOException {
        try (BufferedWriter seq =
                        Files.newBufferedWriter(
                                out.resolve(ProcessedFiles.SESSIONS), StandardCharsets.UTF_8);
                BufferedWriter counts =
                        Files.newBufferedWriter(
                                out.resolve(ProcessedFiles.EVENT_COUNTS), StandardCharsets.UTF_8)) {
            ProcessedFiles.SessionWriter writer =
                    new ProcessedFiles.SessionWriter(
                            seq, counts, parser.events().size() - 1, labels);
            for (String key : sessions.keys()) {
                writer.write(key, events(key));
            }
            writer.addTo(summary, sessions.linesWithoutSession);
        }
        if (writeSessionParts) {
            writeParts(out.resolve(SESSION_PARTS));
        }
    }

    /** A session's events in line order (learning kept cluster ids until the end). */
    private int[] events(String key) {
        int[] ids = sessions.sequence(key);
        if (learning) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = parser.eventOfCluster(ids[i]);
            }
        }
        return ids;
    }

    private void writeParts(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("SessionId,File,Line,KeyInLine,EventSequence\n");
            for (String key : sessions.keys()) {
                int[] ids = events(key);
                List<Sessions.Part> parts = sessions.parts(key);
                for (int k = 0; k < parts.size(); k++) {
                    Sessions.Part part = parts.get(k);
                    int to = k + 1 < parts.size() ? parts.get(k + 1).from() : ids.length;
                    StringBuilder row = new StringBuilder();
                    CsvText.append(row, key);
                    row.append(',');
                    CsvText.append(row, inputNames.getOrDefault(part.file(), part.file()));
                    row.append(',').append(part.line()).append(',').append(part.keyInLine());
                    row.append(',');
                    for (int i = part.from(); i < to; i++) {
                        if (i > part.from()) {
                            row.append(' ');
                        }
                        row.append('E').append(ids[i]);
                    }
                    w.write(row.append('\n').toString());
                }
            }
        }
    }

    /** {@code id,label} rows (a header row is skipped); labels Anomaly/Normal, 1/0, true/false. */
    static Map<String, Integer> readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new JobFailure("--labels " + file + " does not exist");
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return ProcessedFiles.readLabels(r, file.toString());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
