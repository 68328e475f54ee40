package dev.byoe.jobs.train.data;

import dev.byoe.core.JobFailure;
import dev.byoe.formats.RowFormat;
import dev.byoe.formats.parquet.ParquetTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A training channel's format, from its {@code ContentType}: CSV (also when none is given),
 * Parquet, or one of the numeric {@link RowFormat}s.
 */
public sealed interface ChannelFormat {
    /** The canonical content type, recorded in the model's provenance. */
    String contentType();

    /** Comma-separated values, with or without a header row. */
    record Csv() implements ChannelFormat {
        @Override
        public String contentType() {
            return "text/csv";
        }
    }

    /** Parquet files: named, typed columns. */
    record Parquet() implements ChannelFormat {
        @Override
        public String contentType() {
            return ParquetTable.CONTENT_TYPES.getFirst();
        }
    }

    /** libsvm or RecordIO-protobuf: numbers only, the label in the format's own place. */
    record Numeric(RowFormat format) implements ChannelFormat {
        @Override
        public String contentType() {
            return format.contentTypes().getFirst();
        }
    }

    ChannelFormat CSV = new Csv();
    ChannelFormat PARQUET = new Parquet();

    /** The format {@code contentType} names; anything unknown ends the job with what byoe reads. */
    static ChannelFormat of(String contentType, String channel) {
        if (contentType == null || contentType.isBlank()) {
            return CSV;
        }
        String base = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (base.equals("text/csv") || base.equals("csv") || base.equals("application/x-csv")) {
            return CSV;
        }
        if (ParquetTable.isContentType(base)) {
            return PARQUET;
        }
        return RowFormat.ofContentType(base)
                .<ChannelFormat>map(Numeric::new)
                .orElseThrow(
                        () ->
                                new JobFailure(
                                        "channel '"
                                                + channel
                                                + "' has ContentType "
                                                + contentType
                                                + "; byoe reads "
                                                + String.join(", ", known())
                                                + " (optionally gzipped)"));
    }

    private static List<String> known() {
        List<String> types = new ArrayList<>(List.of(CSV.contentType(), PARQUET.contentType()));
        for (RowFormat f : RowFormat.values()) {
            types.add(f.contentTypes().getFirst());
        }
        return types;
    }
}
