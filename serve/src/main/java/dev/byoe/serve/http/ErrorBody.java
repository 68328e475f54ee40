package dev.byoe.serve.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** {@code {"error": "...", "status": N}}: what a refused request gets back. */
final class ErrorBody {
    private static final JsonFactory JSON = new JsonFactory();

    private ErrorBody() {}

    static String json(int status, String message) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeNumberField("status", status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
