package dev.byoe.serve.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.core.data.Feature;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {
    private static final FeatureSchema SCHEMA =
            new FeatureSchema(
                    List.of(
                            new Feature("x", FeatureKind.NUMERIC),
                            new Feature("city", FeatureKind.CATEGORICAL),
                            new Feature("y", FeatureKind.NUMERIC)));

    private static FeatureBatch decode(Format f, String body) {
        return f.decodeRows(body.getBytes(StandardCharsets.UTF_8), SCHEMA);
    }

    @Test
    void csvRowsIntoNumericAndCategoricalCells() {
        FeatureBatch b = decode(Formats.CSV, "1.5,\"Paris, TX\",2\r\n,,NaN\n");
        assertEquals(2, b.rows());
        assertEquals(1.5f, b.numeric(0, 0));
        assertEquals(2f, b.numeric(0, 1));
        assertEquals("Paris, TX", b.categorical(0, 0));
        assertTrue(Float.isNaN(b.numeric(1, 0)) && Float.isNaN(b.numeric(1, 1)));
        assertNull(b.categorical(1, 0));
    }

    @Test
    void plainAndQuotedCsvReadTheSame() {
        // Without quotes the fast path reads the body; one quoted field sends the same rows through
        // the full reader.
        // Cells the byte route hands to the String route: blanks around a number, a missing
        // marker, a category in UTF-8 beyond ASCII.
        String rows = "1.5,Oslo,2\r\n\n, ,NaN\n-3e2,x y,4\n 7 ,Zürich,\t.5\n0.1,São Paulo,NA";
        FeatureBatch plain = decode(Formats.CSV, rows);
        FeatureBatch quoted = decode(Formats.CSV, "\"" + rows.replaceFirst(",", "\","));
        assertEquals(5, plain.rows());
        assertEquals("Zürich", plain.categorical(3, 0));
        assertEquals(7f, plain.numeric(3, 0));
        assertEquals(
                java.util.Arrays.toString(quoted.numeric()),
                java.util.Arrays.toString(plain.numeric()));
        assertEquals(
                java.util.Arrays.toString(quoted.categorical()),
                java.util.Arrays.toString(plain.categorical()));
        RequestProblem a =
                assertThrows(RequestProblem.class, () -> decode(Formats.CSV, "1,a,2\n3,b"));
        RequestProblem b =
                assertThrows(RequestProblem.class, () -> decode(Formats.CSV, "1,\"a\",2\n3,b"));
        assertEquals(a.getMessage(), b.getMessage());
    }

    @Test
    void csvThatIsNotUtf8IsRefused() {
        byte[] latin1 = "1,Zürich,2".getBytes(StandardCharsets.ISO_8859_1);
        RequestProblem e =
                assertThrows(RequestProblem.class, () -> Formats.CSV.decodeRows(latin1, SCHEMA));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void everyJsonShapeGivesTheSameRow() {
        for (String body :
                List.of(
                        "[1, \"Oslo\", 2]",
                        "[[1, \"Oslo\", 2]]",
                        "{\"instances\": [[1, \"Oslo\", 2]]}",
                        "{\"features\": [1, \"Oslo\", 2]}",
                        "{\"instances\": [{\"y\": 2, \"x\": 1, \"city\": \"Oslo\"}]}",
                        "[{\"features\": [1, \"Oslo\", \"2\"]}]")) {
            FeatureBatch b = decode(Formats.JSON, body);
            assertEquals(1, b.rows(), body);
            assertEquals(1f, b.numeric(0, 0), body);
            assertEquals(2f, b.numeric(0, 1), body);
            assertEquals("Oslo", b.categorical(0, 0), body);
        }
        FeatureBatch lines = decode(Formats.JSON_LINES, "[1, \"a\", 2]\n\n{\"x\": 3}\n");
        assertEquals(2, lines.rows());
        assertTrue(Float.isNaN(lines.numeric(1, 1)));
        assertEquals(3f, lines.numeric(1, 0));
    }

    @Test
    void errorsNameRowAndColumn() {
        assertMessage(Formats.CSV, "1,a,2\n1,b", "row 2 has 2 fields");
        assertMessage(
                Formats.CSV, "1,a,2\n1,b,two", "row 2, column 3 ('y'): 'two' is not a number");
        assertMessage(Formats.CSV, "x,city,y\n1,a,2", "header row");
        assertMessage(
                Formats.JSON,
                "[[1,\"a\",2],[1,\"a\",true]]",
                "row 2, column 3 ('y'): expected a number");
        assertMessage(Formats.JSON, "[]", "no rows");
        assertMessage(Formats.JSON, "[[1,\"a\",1e39]]", "not a finite 32-bit number");
        assertMessage(Formats.JSON_LINES, "[1,\"a\",2]\n[1,\"a\",", "line 2: invalid JSON");
    }

    @Test
    void severalJsonDocumentsAreEveryRowNeverOnlyTheFirst() {
        // Batch transform with SplitType Line and MultiRecord joins records with newlines.
        FeatureBatch two = decode(Formats.JSON, "[1, \"a\", 2]\n[3, \"b\", 4]");
        assertEquals(2, two.rows());
        assertEquals(3f, two.numeric(1, 0));
        FeatureBatch instances =
                decode(
                        Formats.JSON,
                        "{\"instances\": [[1, \"a\", 2], [5, \"c\", 6]]}\n{\"instances\": [[3, \"b\", 4]]}\n");
        assertEquals(3, instances.rows());
        assertEquals("b", instances.categorical(2, 0));
        FeatureBatch mixed = decode(Formats.JSON, "[[1, \"a\", 2]] {\"x\": 7}");
        assertEquals(2, mixed.rows());
        assertEquals(7f, mixed.numeric(1, 0));
        assertMessage(
                Formats.JSON, "[[1, \"a\", 2]] trailing", "after JSON document 1: invalid JSON");
        assertMessage(Formats.JSON, "[[1, \"a\", 2]] trailing", "(line 1, column");
        assertMessage(Formats.JSON, "[1, \"a\", 2]\n[3, \"b\"", "after JSON document 1");
    }

    @Test
    void duplicateKeysAreRefusedByName() {
        assertMessage(Formats.JSON, "{\"x\": 59, \"x\": 99, \"city\": \"a\"}", "'x'");
        assertMessage(Formats.JSON_LINES, "{\"city\": \"a\", \"city\": \"b\"}", "'city'");
    }

    @Test
    void aLeadingByteOrderMarkIsDropped() {
        FeatureBatch csv = decode(Formats.CSV, "\uFEFF59,a,1\n2,b,3");
        assertEquals(2, csv.rows());
        assertEquals(59f, csv.numeric(0, 0));
        FeatureBatch quoted = decode(Formats.CSV, "\uFEFF\"59\",a,1");
        assertEquals(59f, quoted.numeric(0, 0));
        assertEquals(59f, decode(Formats.JSON, "\uFEFF[59, \"a\", 1]").numeric(0, 0));
        assertEquals(59f, decode(Formats.JSON_LINES, "\uFEFF[59, \"a\", 1]").numeric(0, 0));
    }

    @Test
    void missingMarkersAreTheDocumentedOnesOnly() {
        FeatureBatch b = decode(Formats.CSV, "1,None,2\n1,?,2\n1,NA,2");
        assertEquals("None", b.categorical(0, 0));
        assertEquals("?", b.categorical(1, 0));
        assertNull(b.categorical(2, 0));
    }

    private static void assertMessage(Format f, String body, String fragment) {
        RequestProblem p = assertThrows(RequestProblem.class, () -> decode(f, body));
        assertEquals(RequestProblem.Kind.MALFORMED, p.kind());
        assertTrue(p.getMessage().contains(fragment), p.getMessage());
    }
}
