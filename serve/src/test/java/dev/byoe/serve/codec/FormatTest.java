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
        assertEquals(415, assertThrows(HttpProblem.class, () -> Format.ofContentType("text/csv; charset=latin1")).status());
        assertEquals(415, assertThrows(HttpProblem.class, () -> Format.ofContentType("application/octet-stream")).status());
        assertEquals(415, assertThrows(HttpProblem.class, () -> Format.ofContentType("csv")).status());
    }

    @Test
    void acceptNegotiation() {
        assertEquals(Format.JSON, Format.ofAccept(null, Format.JSON));
        assertEquals(Format.CSV, Format.ofAccept("*/*", Format.CSV));
        assertEquals(Format.JSON_LINES, Format.ofAccept("application/jsonlines", Format.CSV));
        assertEquals(Format.CSV, Format.ofAccept("text/*", Format.JSON));
        assertEquals(Format.JSON, Format.ofAccept("application/*", Format.CSV));
        assertEquals(Format.JSON, Format.ofAccept("text/html, application/json;q=0.9, */*;q=0.1", Format.CSV));
        assertEquals(Format.CSV, Format.ofAccept("application/json;q=0, text/csv", Format.JSON));
        assertEquals(406, assertThrows(HttpProblem.class, () -> Format.ofAccept("application/xml", Format.CSV)).status());
    }
}
