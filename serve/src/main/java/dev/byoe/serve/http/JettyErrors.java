package dev.byoe.serve.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a request line or headers too long, a malformed request) in the same JSON
 * body as every other error, instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {
    private static final HttpField JSON =
            new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int status,
            String message,
            Throwable cause,
            Callback callback) {
        byte[] body =
                ErrorBody.json(status, text(status, message)).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String message, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(
                ErrorBody.json(status, text(status, message)).getBytes(StandardCharsets.UTF_8));
    }

    private static String text(int status, String message) {
        String reason = HttpStatus.getMessage(status);
        return message == null || message.isBlank() || message.equals(reason)
                ? reason
                : reason + ": " + message;
    }
}
