package dev.byoe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * The jar's command line as a user meets it: the root command, {@code help}, the version, a
 * mistake.
 */
class CommandLineIT {
    /** Every command but picocli's {@code help}, which the table holds too. */
    private static final List<String> NAMES =
            Main.COMMANDS.stream()
                    .map(e -> e.type().getAnnotation(Command.class).name())
                    .filter(name -> !name.equals("help"))
                    .toList();

    @Test
    void byoeAloneIsAMistakeThatListsEveryCommand() throws Exception {
        Byoe.Result r = Byoe.run(Map.of());
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.stderr().contains("a command is needed"), r.all());
        for (String name : NAMES) {
            assertTrue(r.stderr().contains("  " + name + " "), name + " listed: " + r.all());
        }
        assertTrue(r.stderr().contains("  help "), r.all());
    }

    @Test
    void helpListsEveryCommandAndHelpsWithOne() throws Exception {
        Byoe.Result all = Byoe.run(Map.of(), "help");
        assertEquals(0, all.exit(), all.all());
        for (String name : NAMES) {
            assertTrue(all.stdout().contains("  " + name + " "), name + " listed: " + all.all());
        }
        Byoe.Result one = Byoe.run(Map.of(), "help", "serve");
        assertEquals(0, one.exit(), one.all());
        assertTrue(one.stdout().contains("usage: byoe serve"), one.all());
    }

    @Test
    void theVersionIsPrintedEitherWay() throws Exception {
        Byoe.Result option = Byoe.run(Map.of(), "--version");
        Byoe.Result command = Byoe.run(Map.of(), "version");
        assertEquals(0, option.exit(), option.all());
        assertEquals(0, command.exit(), command.all());
        // The jar's manifest gives the version (the test's own classes have none).
        assertTrue(option.stdout().strip().matches("byoe [0-9][^ ]*"), option.all());
        assertEquals(option.stdout(), command.stdout());
    }

    @Test
    void anUnknownCommandIsRefusedByName() throws Exception {
        Byoe.Result r = Byoe.run(Map.of(), "serv");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.stderr().contains("serv"), r.all());
        assertTrue(r.stderr().contains("usage: byoe"), r.all());
    }
}
