package dev.byoe.jobs.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Registration options are refused without a group up front, before a long tuning job runs. */
class TuneCommandTest {
    @Test
    void registrationOptionsNeedTheGroup() {
        for (String[] option :
                new String[][] {
                    {"--image", "byoe:1"},
                    {"--registry", "reg"},
                    {"--register-threshold", "0.5"},
                    {"--approval-status", "Approved"}
                }) {
            StringWriter err = new StringWriter();
            int exit =
                    new CommandLine(new TuneCommand("unused"))
                            .setErr(new PrintWriter(err, true))
                            .execute("--config", "does-not-matter.json", option[0], option[1]);
            assertEquals(2, exit, option[0] + ": " + err);
            assertTrue(err.toString().contains("--model-package-group"), err.toString());
        }
    }
}
