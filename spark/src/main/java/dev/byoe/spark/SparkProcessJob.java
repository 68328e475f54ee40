package dev.byoe.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoe.core.JobFailure;
import dev.byoe.core.Json;
import dev.byoe.logs.Drain;
import dev.byoe.logs.LogFormat;
import dev.byoe.logs.LogParser;
import dev.byoe.logs.ProcessArguments;
import dev.byoe.logs.ProcessOptions;
import dev.byoe.logs.ProcessedFiles;
import dev.byoe.logs.SessionKeys;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code byoe process} on Spark, the main class SageMaker's {@code SparkJarProcessor} submits
 * ({@code submit_class}), with the same arguments. Locations are Hadoop URIs ({@code s3://...} in
 * the SageMaker container, {@code file:...}) or paths of the driver's file system.
 *
 * <p>Three steps. <b>Learn</b>: every partition runs Drain on its own lines in order, and the
 * driver merges the partitions' templates by learning them, partition after partition, into one
 * parser, which it freezes and writes as {@code drain.json} (on the 12 LogHub-2k systems with 4
 * partitions it groups lines exactly as {@code process}'s one sequential parser: {@code
 * SparkProcessingIT}). <b>Label</b>: each partition names its lines' events as {@link
 * EventLabeller} says, broadcast to every executor. <b>Group</b>: lines are keyed by session across
 * the cluster, each session's events ordered by input position, sessions by their first line. The
 * driver writes the files {@code process} writes ({@link ProcessedFiles}), streaming the sorted
 * partitions one at a time, so it holds one partition, not the data.
 */
@Command(
        name = "byoe-spark-process",
        sortOptions = false,
        description = {
            "Raw log lines to Drain events, templates and per-session event sequences, on Spark;"
                    + " the options of byoe process, inputs and output as Hadoop URIs."
        })
public final class SparkProcessJob implements Callable<Integer> {
    private static final String DEFAULT_INPUT = "/opt/ml/processing/input";
    private static final String DEFAULT_OUTPUT = "/opt/ml/processing/output";

    @Mixin ProcessArguments arguments = new ProcessArguments();

    @Option(
            names = "--partitions",
            description = "input partitions at least (default: Spark's default parallelism)")
    Integer partitions;

    private final PrintStream log = System.err;

    public static void main(String[] args) {
        int code = new CommandLine(new SparkProcessJob()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        SparkConf conf = new SparkConf().setAppName("byoe-process");
        conf.setIfMissing("spark.master", "local[*]");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            Map<String, Object> summary = run(spark);
            log.println(
                    "byoe spark process: "
                            + ProcessedFiles.describe(summary)
                            + ", in "
                            + summary.get("output"));
            return 0;
        } catch (JobFailure e) {
            return failed(e.getMessage());
        } catch (Exception e) {
            e.printStackTrace(log);
            return failed("internal error: " + e);
        }
    }

    /** As {@code process}: the reason in the log and in SageMaker's failure file, exit 1. */
    private int failed(String reason) {
        log.println("byoe spark process failed: " + reason);
        java.nio.file.Path output = java.nio.file.Path.of("/opt/ml/output");
        String root = System.getenv("BYOE_ML_ROOT");
        if (root != null) {
            output = java.nio.file.Path.of(root, "output");
        }
        try {
            if (Files.isDirectory(output.getParent())) {
                Files.createDirectories(output);
                Files.writeString(output.resolve("message"), reason);
            }
        } catch (IOException e) {
            log.println("could not write " + output.resolve("message") + ": " + e);
        }
        return 1;
    }

    /** Runs the job on {@code spark}; returns what {@code summary.json} holds. */
    public Map<String, Object> run(JavaSparkContext spark) throws IOException {
        long start = System.nanoTime();
        ShuffleBytes shuffle = new ShuffleBytes();
        spark.sc().addSparkListener(shuffle);
        ProcessOptions options =
                ProcessOptions.of(
                        arguments, List.of(java.nio.file.Path.of(DEFAULT_INPUT)), null, null, null);
        List<String> inputs =
                arguments.inputs().isEmpty() ? List.of(DEFAULT_INPUT) : arguments.inputs();
        String output = arguments.output() != null ? arguments.output() : DEFAULT_OUTPUT;
        Configuration hadoop = spark.hadoopConfiguration();
        List<String> files = inputFiles(inputs, hadoop);
        // Checked on the driver before any task runs, so a bad format fails once, clearly.
        LogFormat format;
        try {
            format = new LogFormat(options.logFormat());
        } catch (IllegalArgumentException e) {
            throw new JobFailure("--log-format: " + e.getMessage());
        }
        SessionKeys sessionRule = new SessionKeys(options, format.fields());
        JavaRDD<LogLine> lines = read(spark, files);
        Map<String, Integer> labels =
                arguments.labels() == null ? null : readLabels(arguments.labels(), hadoop);
        Parser learned = parser(lines, options, hadoop);
        LogParser parser = learned.parser();
        Broadcast<EventLabeller> shared = spark.broadcast(learned.labeller());
        boolean structured = options.structured();
        JavaRDD<LabelledLine> labelled =
                lines.mapPartitionsWithIndex(
                                (p, part) ->
                                        label(
                                                part,
                                                shared.value().forPartition(p),
                                                sessionRule,
                                                structured),
                                true)
                        .persist(StorageLevel.MEMORY_AND_DISK_SER());
        LineStats stats = labelled.mapPartitions(SparkProcessJob::count).reduce(LineStats::merge);

        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(hadoop);
        fs.setWriteChecksum(false);
        fs.mkdirs(out);
        try (var w = fs.create(new Path(out, ProcessedFiles.DRAIN), true)) {
            parser.write(w);
        }
        try (Writer w = writer(fs, out, ProcessedFiles.TEMPLATES)) {
            ProcessedFiles.writeTemplates(w, parser.events(), stats.occurrences);
        }
        if (structured) {
            writeStructured(fs, out, parser.format(), labelled);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("files", files);
        summary.put("lines", stats.lines);
        summary.put("parsed", stats.lines - stats.malformed);
        summary.put("malformed", stats.malformed);
        summary.put("malformed_examples", stats.exampleTexts());
        summary.put("mode", learned.mode());
        summary.put("events", parser.events().size() - 1);
        summary.put("unknown_event_lines", stats.unknown);
        if (sessionRule.enabled()) {
            writeSessions(fs, out, parser.events().size() - 1, labels, labelled, stats, summary);
        }
        labelled.unpersist(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
        summary.put("lines_per_second", Math.round(stats.lines / Math.max(seconds, 1e-9)));
        summary.put("route", "spark");
        summary.put("spark_version", spark.version());
        summary.put("partitions", lines.getNumPartitions());
        summary.put("shuffle_bytes", shuffle.written());
        summary.put("output", out.toString());
        ObjectMapper mapper = Json.INDENTED;
        try (java.io.OutputStream w = fs.create(new Path(out, ProcessedFiles.SUMMARY), true)) {
            mapper.writeValue(w, summary);
        }
        return summary;
    }

    /** The frozen parser, how the second pass names events with it, and which mode made it. */
    private record Parser(LogParser parser, EventLabeller labeller, String mode) {}

    /**
     * With {@code --drain-state}, that parser; otherwise Drain learned on every partition at once
     * and the partitions' templates merged in partition order into one parser.
     */
    private Parser parser(JavaRDD<LogLine> lines, ProcessOptions options, Configuration hadoop)
            throws IOException {
        if (arguments.drainState() != null) {
            LogParser parser;
            try (var in = open(arguments.drainState(), hadoop)) {
                parser = LogParser.read(in, arguments.drainState());
            }
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            parser.write(json);
            return new Parser(parser, EventLabeller.matching(json.toByteArray()), "apply");
        }
        String format = options.logFormat();
        Drain.Settings settings = options.drain();
        List<PartitionTemplates> learned =
                new ArrayList<>(
                        lines.mapPartitionsWithIndex(
                                        (p, part) ->
                                                List.of(
                                                                PartitionTemplates.learn(
                                                                        p, part, format, settings))
                                                        .iterator(),
                                        true)
                                .collect());
        learned.sort(Comparator.comparingInt(PartitionTemplates::partition));
        LogParser parser = new LogParser(new LogFormat(format), new Drain(settings));
        int[][] eventOf = new int[learned.size()][];
        for (PartitionTemplates t : learned) {
            eventOf[t.partition()] = parser.drain().merge(t.clusters());
        }
        parser.freeze();
        for (int[] clusters : eventOf) {
            for (int c = 1; c < clusters.length; c++) {
                clusters[c] = parser.eventOfCluster(clusters[c]);
            }
        }
        return new Parser(parser, EventLabeller.relearning(format, settings, eventOf), "learn");
    }

    /** Every file under the inputs, hidden ones ({@code .x}, {@code _x}) left out, sorted. */
    static List<String> inputFiles(List<String> inputs, Configuration hadoop) throws IOException {
        List<String> files = new ArrayList<>();
        for (String input : inputs) {
            Path in = new Path(input);
            FileSystem fs = in.getFileSystem(hadoop);
            if (!fs.exists(in)) {
                throw new JobFailure("input " + input + " does not exist");
            }
            FileStatus status = fs.getFileStatus(in);
            if (status.isFile()) {
                files.add(status.getPath().toString());
                continue;
            }
            List<String> found = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(in, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                if (!hidden(in, p)) {
                    found.add(p.toString());
                }
            }
            found.sort(Comparator.naturalOrder());
            files.addAll(found);
        }
        if (files.isEmpty()) {
            throw new JobFailure("no log files in " + inputs);
        }
        return files;
    }

    private static boolean hidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
            String name = p.getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** The lines of the files in order; gzip and the other Hadoop codecs by file extension. */
    private JavaRDD<LogLine> read(JavaSparkContext spark, List<String> files) {
        int min = partitions != null ? Math.max(1, partitions) : spark.defaultMinPartitions();
        JavaPairRDD<LongWritable, Text> raw =
                spark.hadoopFile(
                        String.join(",", files),
                        TextInputFormat.class,
                        LongWritable.class,
                        Text.class,
                        min);
        JavaRDD<LogLine> lines =
                ((JavaHadoopRDD<LongWritable, Text>) raw)
                        .mapPartitionsWithInputSplit(SparkProcessJob::lines, true);
        if (partitions == null || lines.getNumPartitions() >= partitions) {
            return lines;
        }
        // Fewer splits than asked (gzip cannot be split): contiguous ranges of the numbered lines,
        // each in order, so that learning still runs on every partition.
        // One counting pass gives every line its number from its position (partition, line).
        List<Long> sizes =
                lines.mapPartitions(
                                part -> {
                                    long n = 0;
                                    for (; part.hasNext(); part.next()) {
                                        n++;
                                    }
                                    return List.of(n).iterator();
                                })
                        .collect();
        long[] first = new long[sizes.size() + 1];
        for (int p = 0; p < sizes.size(); p++) {
            first[p + 1] = first[p] + sizes.get(p);
        }
        return lines.mapToPair(line -> new Tuple2<>(LogLine.number(line.position(), first), line))
                .repartitionAndSortWithinPartitions(new LineRanges(partitions, first[sizes.size()]))
                .values();
    }

    /** A split's lines, numbered within the partition. */
    private static Iterator<LogLine> lines(
            org.apache.hadoop.mapred.InputSplit split, Iterator<Tuple2<LongWritable, Text>> part) {
        int partition = org.apache.spark.TaskContext.getPartitionId();
        String file = ((FileSplit) split).getPath().toString();
        return new Iterator<>() {
            long n;

            @Override
            public boolean hasNext() {
                return part.hasNext();
            }

            @Override
            public LogLine next() {
                Tuple2<LongWritable, Text> t = part.next();
                return new LogLine(
                        LogLine.position(partition, n++),
                        file + " at byte " + t._1().get(),
                        t._2().toString());
            }
        };
    }

    private static Iterator<LabelledLine> label(
            Iterator<LogLine> lines,
            EventLabeller.Partition parser,
            SessionKeys sessions,
            boolean structured) {
        int content = parser.contentIndex();
        StringBuilder sb = new StringBuilder(256);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public LabelledLine next() {
                LogLine line = lines.next();
                String[] fields = parser.fields(line.text());
                if (fields == null) {
                    String text = line.text();
                    return new LabelledLine(
                            line.position(),
                            -1,
                            new String[0],
                            null,
                            line.where()
                                    + ": "
                                    + (text.length() <= 200
                                            ? text
                                            : text.substring(0, 200) + "..."));
                }
                String prefix = null;
                if (structured) {
                    sb.setLength(0);
                    // LineId is filled in by the driver, which alone knows the running count.
                    ProcessedFiles.appendStructuredFields(sb, fields);
                    prefix = sb.toString();
                }
                return new LabelledLine(
                        line.position(),
                        parser.event(fields[content]),
                        sessions.of(fields, fields[content]).toArray(new String[0]),
                        prefix,
                        null);
            }
        };
    }

    private static Iterator<LineStats> count(Iterator<LabelledLine> lines) {
        LineStats stats = new LineStats();
        lines.forEachRemaining(stats::add);
        return List.of(stats).iterator();
    }

    /** Every line in input order; LineId counts all lines, as in {@code process}. */
    private static void writeStructured(
            FileSystem fs, Path out, LogFormat format, JavaRDD<LabelledLine> labelled)
            throws IOException {
        try (Writer w = writer(fs, out, ProcessedFiles.STRUCTURED)) {
            w.write(ProcessedFiles.structuredHeader(format));
            long lineId = 0;
            Iterator<LabelledLine> it = labelled.toLocalIterator();
            while (it.hasNext()) {
                LabelledLine l = it.next();
                lineId++;
                if (l.event() < 0) {
                    continue;
                }
                w.write(Long.toString(lineId));
                w.write(l.structuredFields());
                w.write(",E");
                w.write(Integer.toString(l.event()));
                w.write('\n');
            }
        }
    }

    /**
     * Where a session starts: its first line, then its place among the sessions that line names,
     * which is the order {@code process} meets them in.
     */
    record SessionOrder(long line, long keyInLine)
            implements Comparable<SessionOrder>, java.io.Serializable {
        @Override
        public int compareTo(SessionOrder o) {
            int c = Long.compare(line, o.line);
            return c != 0 ? c : Long.compare(keyInLine, o.keyInLine);
        }
    }

    /** A session's events in line order, and where it starts. */
    record Session(SessionOrder order, String key, int[] events) implements java.io.Serializable {}

    private static void writeSessions(
            FileSystem fs,
            Path out,
            int events,
            Map<String, Integer> labels,
            JavaRDD<LabelledLine> labelled,
            LineStats stats,
            Map<String, Object> summary)
            throws IOException {
        JavaRDD<Session> sessions =
                labelled.filter(l -> l.event() >= 0 && l.sessions().length > 0)
                        .flatMapToPair(
                                l -> {
                                    List<Tuple2<String, long[]>> keyed = new ArrayList<>(1);
                                    String[] keys = l.sessions();
                                    for (int k = 0; k < keys.length; k++) {
                                        keyed.add(
                                                new Tuple2<>(
                                                        keys[k],
                                                        new long[] {l.position(), k, l.event()}));
                                    }
                                    return keyed.iterator();
                                })
                        .groupByKey()
                        .mapToPair(
                                group -> {
                                    Session session = session(group);
                                    return new Tuple2<>(session.order(), session);
                                })
                        .sortByKey(true, labelled.getNumPartitions())
                        .values()
                        .persist(StorageLevel.MEMORY_AND_DISK_SER());
        sessions.count(); // sorts on the executors at once, not partition by partition below
        long writing = System.nanoTime();
        try (Writer seq = writer(fs, out, ProcessedFiles.SESSIONS);
                Writer counts = writer(fs, out, ProcessedFiles.EVENT_COUNTS)) {
            ProcessedFiles.SessionWriter writer =
                    new ProcessedFiles.SessionWriter(seq, counts, events, labels);
            Iterator<Session> it = sessions.toLocalIterator();
            while (it.hasNext()) {
                Session s = it.next();
                writer.write(s.key(), s.events());
            }
            writer.addTo(summary, stats.withoutSession);
        }
        // The part that does not scale with the cluster: the driver streams every session.
        summary.put(
                "driver_session_write_seconds",
                Math.round((System.nanoTime() - writing) / 1e6) / 1000.0);
        sessions.unpersist(false);
    }

    private static Session session(Tuple2<String, Iterable<long[]>> group) {
        List<long[]> lines = new ArrayList<>();
        group._2().forEach(lines::add);
        lines.sort(Comparator.comparingLong(l -> l[0]));
        int[] events = new int[lines.size()];
        for (int i = 0; i < events.length; i++) {
            events[i] = (int) lines.get(i)[2];
        }
        long[] first = lines.get(0);
        return new Session(new SessionOrder(first[0], first[1]), group._1(), events);
    }

    private static Map<String, Integer> readLabels(String location, Configuration hadoop)
            throws IOException {
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(open(location, hadoop), StandardCharsets.UTF_8))) {
            return ProcessedFiles.readLabels(r, location);
        }
    }

    private static java.io.InputStream open(String location, Configuration hadoop)
            throws IOException {
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem(hadoop);
        if (!fs.isFile(p)) {
            throw new JobFailure(location + " does not exist");
        }
        return fs.open(p);
    }

    private static Writer writer(FileSystem fs, Path folder, String name) throws IOException {
        return new java.io.BufferedWriter(
                new OutputStreamWriter(
                        fs.create(new Path(folder, name), true), StandardCharsets.UTF_8),
                1 << 16);
    }
}
