package dev.byoe.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * CSV rows written as Parquet by Apache's writer (parquet-hadoop), typed as a data engineer's tool
 * would type them: whole numbers INT64, other numbers DOUBLE, anything else a UTF-8 string; empty
 * cells are nulls.
 */
final class ParquetFiles {
    private ParquetFiles() {}

    /** A CSV file with a header row (no quoted fields), as Parquet bytes. */
    static byte[] fromCsv(Path csv, CompressionCodecName codec) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        return write(List.of(lines.getFirst().split(",")), rows, codec);
    }

    static byte[] write(List<String> header, List<String[]> rows, CompressionCodecName codec)
            throws IOException {
        PrimitiveTypeName[] types = new PrimitiveTypeName[header.size()];
        Types.MessageTypeBuilder schema = Types.buildMessage();
        for (int c = 0; c < header.size(); c++) {
            types[c] = typeOf(rows, c);
            var field = Types.optional(types[c]);
            if (types[c] == PrimitiveTypeName.BINARY) {
                field.as(LogicalTypeAnnotation.stringType());
            }
            schema.addField(field.named(header.get(c)));
        }
        MessageType type = schema.named("rows");
        Path file = Files.createTempFile("fixture", ".parquet");
        Files.delete(file);
        try (ParquetWriter<Group> writer =
                ExampleParquetWriter.builder(new LocalOutputFile(file))
                        .withConf(new PlainParquetConfiguration())
                        .withType(type)
                        .withCompressionCodec(codec)
                        .build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(type);
            for (String[] row : rows) {
                Group g = groups.newGroup();
                for (int c = 0; c < header.size(); c++) {
                    String cell = row[c];
                    if (cell.isEmpty()) {
                        continue;
                    }
                    switch (types[c]) {
                        case INT64 -> g.append(header.get(c), Long.parseLong(cell));
                        case DOUBLE -> g.append(header.get(c), Double.parseDouble(cell));
                        default -> g.append(header.get(c), cell);
                    }
                }
                writer.write(g);
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    private static PrimitiveTypeName typeOf(List<String[]> rows, int c) {
        boolean whole = true;
        boolean number = true;
        for (String[] row : rows) {
            String cell = row[c];
            if (cell.isEmpty()) {
                continue;
            }
            whole &= cell.matches("-?\\d{1,18}");
            try {
                Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                number = false;
            }
        }
        return whole
                ? PrimitiveTypeName.INT64
                : number ? PrimitiveTypeName.DOUBLE : PrimitiveTypeName.BINARY;
    }
}
