package dev.byoe.serve.capture;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a sample of requests and answers as SageMaker capture lines under {@code
 * <folder>/yyyy/MM/dd/HH/<minute>-<second>-<millis>-<id>.jsonl} (UTC hour of the request, a new
 * file each hour). {@link #record} only offers the event to a bounded queue: when the queue is full
 * the event is dropped and counted, so capture never slows or fails a request. One daemon thread
 * writes, flushing whenever the queue runs empty.
 */
public final class DataCapture implements AutoCloseable {
    /** Capture switched off: {@link #record} does nothing. */
    public static final DataCapture OFF = new DataCapture();

    private static final Logger LOG = LoggerFactory.getLogger(DataCapture.class);
    private static final DateTimeFormatter HOUR_FOLDER =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH");
    private static final DateTimeFormatter FILE_START = DateTimeFormatter.ofPattern("mm-ss-SSS");
    private static final CaptureEvent STOP =
            new CaptureEvent(Instant.EPOCH, "", null, null, null, new byte[0], null, new byte[0]);

    private final CaptureSettings settings;
    private final BlockingQueue<CaptureEvent> queue;
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;
    private BufferedWriter file;
    private String fileHour;

    private DataCapture() {
        settings = null;
        queue = null;
        writer = null;
        closed = true;
    }

    private DataCapture(CaptureSettings settings) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queue());
        this.writer =
                Thread.ofPlatform().daemon().name("byoe-data-capture").unstarted(this::writeLoop);
        writer.start();
        LOG.info("data capture: {}% of requests to {}", settings.percent(), settings.folder());
    }

    public static DataCapture start(CaptureSettings settings) {
        return settings.enabled() ? new DataCapture(settings) : OFF;
    }

    /** Offers one request and its answer for capture; returns at once, never throws. */
    public void record(String inputType, byte[] input, String outputType, byte[] output) {
        record(null, null, inputType, input, outputType, output);
    }

    /**
     * As {@link #record(String, byte[], String, byte[])}, for a model of a multi-model endpoint:
     * the record names the model ({@code eventMetadata.modelName}) and the caller's TargetModel
     * when SageMaker passed it ({@code eventMetadata.targetModel}).
     */
    public void record(
            String modelName,
            String targetModel,
            String inputType,
            byte[] input,
            String outputType,
            byte[] output) {
        if (closed) {
            return;
        }
        try {
            if (settings.percent() < 100
                    && ThreadLocalRandom.current().nextDouble(100) >= settings.percent()) {
                return;
            }
            CaptureEvent event =
                    new CaptureEvent(
                            Instant.now(),
                            UUID.randomUUID().toString(),
                            modelName,
                            targetModel,
                            inputType,
                            input,
                            outputType,
                            output);
            if (!queue.offer(event)) {
                dropped.incrementAndGet();
            }
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
        }
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void writeLoop() {
        try {
            while (true) {
                CaptureEvent e = queue.poll();
                if (e == null) {
                    flush();
                    e = queue.take();
                }
                if (e == STOP) {
                    break;
                }
                write(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeFile();
        }
    }

    private void write(CaptureEvent e) {
        try {
            ZonedDateTime t = e.time().atZone(ZoneOffset.UTC);
            String hour = HOUR_FOLDER.format(t);
            if (!hour.equals(fileHour)) {
                closeFile();
                Path folder = Files.createDirectories(settings.folder().resolve(hour));
                String name =
                        FILE_START.format(t)
                                + "-"
                                + UUID.randomUUID().toString().substring(0, 8)
                                + ".jsonl";
                file = Files.newBufferedWriter(folder.resolve(name), StandardCharsets.UTF_8);
                fileHour = hour;
            }
            file.write(e.line());
            file.write('\n');
            written.incrementAndGet();
        } catch (IOException | RuntimeException ex) {
            // A full disk must not take the endpoint down; count it and say so once in a while.
            if (failed.incrementAndGet() % 1000 == 1) {
                LOG.warn(
                        "data capture could not write an event ({} so far): {}",
                        failed.get(),
                        ex.toString());
            }
        }
    }

    private void flush() {
        if (file != null) {
            try {
                file.flush();
            } catch (IOException ex) {
                failed.incrementAndGet();
            }
        }
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ex) {
                failed.incrementAndGet();
            }
            file = null;
            fileHour = null;
        }
    }

    /** Writes what is queued, closes the file and stops the writer (within 5 s). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Wait for room rather than drop the stop marker; the writer is draining the queue.
            if (!queue.offer(STOP, 5, TimeUnit.SECONDS)) {
                writer.interrupt();
            }
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info(
                "data capture: {} events written, {} dropped (queue full), {} failed to write",
                written.get(),
                dropped.get(),
                failed.get());
    }
}
