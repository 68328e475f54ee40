package dev.byoe.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On LogHub's HDFS_2k with its benchmark settings, Drain's published grouping accuracy is 0.9975.
 */
class HdfsAccuracyTest {
    @Test
    void reachesThePublishedGroupingAccuracy() throws Exception {
        LogParser parser =
                new LogParser(
                        new LogFormat(HdfsFixture.FORMAT),
                        new Drain(new Drain.Settings(4, 0.5, 100, HdfsFixture.MASKS)));
        List<Integer> clusters = new ArrayList<>();
        for (String line : Files.readAllLines(HdfsFixture.LOG)) {
            String[] f = parser.fields(line);
            clusters.add(parser.learn(f[parser.format().contentIndex()]));
        }
        parser.freeze();
        List<String> parsed = clusters.stream().map(c -> "E" + parser.eventOfCluster(c)).toList();
        double corrected = GroupingAccuracy.of(HdfsFixture.truth(1), parsed);
        double original = GroupingAccuracy.of(HdfsFixture.truth(2), parsed);
        assertTrue(corrected >= 0.9975, "corrected truth: " + corrected);
        assertTrue(original >= 0.9975, "original truth: " + original);
        assertEquals(2000, parsed.size());
    }

    @Test
    void groupingAccuracyCountsOnlyExactGroups() {
        // Truth groups {0,1,2} {3,4}; parsed splits the first group and merges nothing else.
        List<String> truth = List.of("A", "A", "A", "B", "B");
        assertEquals(0.4, GroupingAccuracy.of(truth, List.of("x", "x", "y", "z", "z")), 1e-12);
        assertEquals(1.0, GroupingAccuracy.of(truth, List.of("p", "p", "p", "q", "q")), 1e-12);
        assertEquals(0.0, GroupingAccuracy.of(truth, List.of("p", "p", "p", "p", "p")), 1e-12);
    }
}
