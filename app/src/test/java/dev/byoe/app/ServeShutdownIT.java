package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM while a request is in flight: the request still gets its answer, then serve exits 0. */
class ServeShutdownIT {
    private static final String ROW = "59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87\n";

    @Test
    void aRequestInFlightFinishesAfterSigterm(@TempDir Path tmp) throws Exception {
        MlLayout ml =
                new MlLayout(tmp.resolve("ml"))
                        .hyperparameters(
                                Map.of("target_column", "target", "k_fold", "2", "num_round", "20"))
                        .channel("train", MlLayout.data("diabetes.csv"));
        assertEquals(0, Byoe.train(ml).exit());
        try (Served served = Served.start(ml.root, Map.of());
                Socket socket = new Socket("127.0.0.1", served.port)) {
            // A raw socket decides exactly what has been sent: headers and the first chunk, then a
            // pause.
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("POST /invocations HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
                                    + "Transfer-Encoding: chunked\r\n\r\n"
                                    + chunk(ROW))
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(500);
            served.process.destroy(); // SIGTERM
            Thread.sleep(1000);
            assertTrue(
                    served.process.isAlive(),
                    "serve waits for the request in flight: " + served.log());
            out.write((chunk(ROW) + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(30_000);
            String response =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            String body = response.substring(response.indexOf("\r\n\r\n") + 4).strip();
            assertEquals(2, body.split("\n").length, response);
            assertTrue(served.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, served.process.exitValue(), served.log());
            assertTrue(served.log().contains("SIGTERM"), served.log());
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }
}
