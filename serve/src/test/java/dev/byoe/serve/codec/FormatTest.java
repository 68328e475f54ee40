package dev.byoe.serve.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void contentTypeParametersAreParsedNotCompared() {
        assertEquals(Formats.CSV, Formats.ofContentType("text/csv; charset=utf-8"));
        assertEquals(Formats.CSV, Formats.ofContentType("Text/CSV;label_size=0"));
        assertEquals(Formats.JSON, Formats.ofContentType("application/json;charset=UTF-8"));
        assertEquals(Formats.JSON_LINES, Formats.ofContentType("application/x-jsonlines"));
        // The charset is decoded by RequestDecoder.toUtf8, not refused here.
        assertEquals(Formats.CSV, Formats.ofContentType("text/csv; charset=ISO-8859-1"));
        assertEquals(
                RequestProblem.Kind.UNSUPPORTED_TYPE,
                assertThrows(
                                RequestProblem.class,
                                () -> Formats.ofContentType("application/octet-stream"))
                        .kind());
        assertEquals(
                RequestProblem.Kind.UNSUPPORTED_TYPE,
                assertThrows(RequestProblem.class, () -> Formats.ofContentType("csv")).kind());
    }

    @Test
    void acceptNegotiation() {
        assertEquals(Formats.JSON, Formats.ofAccept(null, Formats.JSON));
        assertEquals(Formats.CSV, Formats.ofAccept("*/*", Formats.CSV));
        assertEquals(Formats.JSON_LINES, Formats.ofAccept("application/jsonlines", Formats.CSV));
        assertEquals(Formats.CSV, Formats.ofAccept("text/*", Formats.JSON));
        assertEquals(Formats.JSON, Formats.ofAccept("application/*", Formats.CSV));
        assertEquals(
                Formats.JSON,
                Formats.ofAccept("text/html, application/json;q=0.9, */*;q=0.1", Formats.CSV));
        assertEquals(Formats.CSV, Formats.ofAccept("application/json;q=0, text/csv", Formats.JSON));
        assertEquals(
                RequestProblem.Kind.NOT_ACCEPTABLE,
                assertThrows(
                                RequestProblem.class,
                                () -> Formats.ofAccept("application/xml", Formats.CSV))
                        .kind());
    }

    @Test
    void malformedMediaTypesAreClientErrorsNeverCrashes() {
        for (String bad :
                new String[] {
                    ";", " ; ", ";;", "/", "a/", "/b", ";charset=utf-8", "=", ",", " ,; "
                }) {
            RequestProblem.Kind status;
            try {
                Formats.ofContentType(bad);
                status = null;
            } catch (RequestProblem e) {
                status = e.kind();
            }
            assertEquals(
                    RequestProblem.Kind.UNSUPPORTED_TYPE, status, "Content-Type '" + bad + "'");
            RequestProblem.Kind accept;
            try {
                Formats.ofAccept(bad, Formats.CSV);
                accept = null;
            } catch (RequestProblem e) {
                accept = e.kind();
            }
            assertEquals(RequestProblem.Kind.NOT_ACCEPTABLE, accept, "Accept '" + bad + "'");
        }
    }

    @Test
    void bodiesInAnyKnownCharsetBecomeUtf8WithoutAByteOrderMark() {
        byte[] latin1 = "1,Mal\u00f6,2".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(
                "1,Mal\u00f6,2",
                new String(
                        RequestDecoder.toUtf8(latin1, "ISO-8859-1"),
                        java.nio.charset.StandardCharsets.UTF_8));
        byte[] bom = "\uFEFF59,a,1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(
                "59,a,1",
                new String(
                        RequestDecoder.toUtf8(bom, null), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(
                "59,a,1",
                new String(
                        RequestDecoder.toUtf8(bom, "utf-8"),
                        java.nio.charset.StandardCharsets.UTF_8));
        byte[] utf16 = "\uFEFF1,x,2".getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
        assertEquals(
                "1,x,2",
                new String(
                        RequestDecoder.toUtf8(utf16, "UTF-16BE"),
                        java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(
                RequestProblem.Kind.UNSUPPORTED_TYPE,
                assertThrows(
                                RequestProblem.class,
                                () -> RequestDecoder.toUtf8(latin1, "no-such-charset"))
                        .kind());
        assertEquals(
                RequestProblem.Kind.MALFORMED,
                assertThrows(
                                RequestProblem.class,
                                () -> RequestDecoder.toUtf8(new byte[] {(byte) 0x80}, "US-ASCII"))
                        .kind());
    }
}
