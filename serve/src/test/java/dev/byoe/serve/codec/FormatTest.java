package dev.byoe.serve.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void contentTypeParametersAreParsedNotCompared() {
        assertEquals(Format.CSV, Format.ofContentType("text/csv; charset=utf-8"));
        assertEquals(Format.CSV, Format.ofContentType("Text/CSV;label_size=0"));
        assertEquals(Format.JSON, Format.ofContentType("application/json;charset=UTF-8"));
        assertEquals(Format.JSON_LINES, Format.ofContentType("application/x-jsonlines"));
        // The charset is decoded by RequestDecoder.toUtf8, not refused here.
        assertEquals(Format.CSV, Format.ofContentType("text/csv; charset=ISO-8859-1"));
        assertEquals(
                RequestProblem.Kind.UNSUPPORTED_TYPE,
                assertThrows(
                                RequestProblem.class,
                                () -> Format.ofContentType("application/octet-stream"))
                        .kind());
        assertEquals(
                RequestProblem.Kind.UNSUPPORTED_TYPE,
                assertThrows(RequestProblem.class, () -> Format.ofContentType("csv")).kind());
    }

    @Test
    void acceptNegotiation() {
        assertEquals(Format.JSON, Format.ofAccept(null, Format.JSON));
        assertEquals(Format.CSV, Format.ofAccept("*/*", Format.CSV));
        assertEquals(Format.JSON_LINES, Format.ofAccept("application/jsonlines", Format.CSV));
        assertEquals(Format.CSV, Format.ofAccept("text/*", Format.JSON));
        assertEquals(Format.JSON, Format.ofAccept("application/*", Format.CSV));
        assertEquals(
                Format.JSON,
                Format.ofAccept("text/html, application/json;q=0.9, */*;q=0.1", Format.CSV));
        assertEquals(Format.CSV, Format.ofAccept("application/json;q=0, text/csv", Format.JSON));
        assertEquals(
                RequestProblem.Kind.NOT_ACCEPTABLE,
                assertThrows(
                                RequestProblem.class,
                                () -> Format.ofAccept("application/xml", Format.CSV))
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
                Format.ofContentType(bad);
                status = null;
            } catch (RequestProblem e) {
                status = e.kind();
            }
            assertEquals(
                    RequestProblem.Kind.UNSUPPORTED_TYPE, status, "Content-Type '" + bad + "'");
            RequestProblem.Kind accept;
            try {
                Format.ofAccept(bad, Format.CSV);
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
