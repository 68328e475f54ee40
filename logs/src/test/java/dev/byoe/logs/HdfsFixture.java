package dev.byoe.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** LogHub's HDFS_2k sample shipped in data/loghub, with its ground truth. */
final class HdfsFixture {
    static final Path DIR = Path.of(System.getProperty("byoe.root", "..")).resolve("data/loghub");
    static final Path LOG = DIR.resolve("HDFS_2k.log");
    static final String FORMAT = "<Date> <Time> <Pid> <Level> <Component>: <Content>";
    static final List<String> MASKS = List.of("blk_-?\\d+", "(\\d+\\.){3}\\d+(:\\d+)?");

    private HdfsFixture() {}

    /** Column 1: corrected EventId; column 2: original. */
    static List<String> truth(int column) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> rows = Files.readAllLines(DIR.resolve("HDFS_2k_truth.csv"));
        for (String row : rows.subList(1, rows.size())) {
            out.add(row.split(",")[column]);
        }
        return out;
    }
}
