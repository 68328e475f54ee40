package dev.byoe.model.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalkFileTest {
    private static final WalkFile.Header TREES = new WalkFile.Header(0x42595854, 1, "tree file");

    @Test
    void bodyFollowsItsHeader() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = TREES.writeTo(bytes);
        out.writeInt(42);
        out.flush();
        assertEquals(42, TREES.readFrom(new ByteArrayInputStream(bytes.toByteArray())).readInt());
    }

    @Test
    void anotherLayoutOrVersionIsRefusedByName() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new WalkFile.Header(0x42595854, 2, "tree file").writeTo(bytes).flush();
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> TREES.readFrom(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("not a tree file of version 1"), e.getMessage());
        assertTrue(e.getMessage().contains("version 2)"), e.getMessage());
    }

    @Test
    void unusableFilesReadAsNone(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("trees.bin");
        assertNull(WalkFile.readIfUsable(file, in -> TREES.readFrom(in).readInt()));
        WalkFile.write(
                file, out -> new WalkFile.Header(0x42594354, 1, "other").writeTo(out).flush());
        assertNull(WalkFile.readIfUsable(file, in -> TREES.readFrom(in).readInt()));
        WalkFile.write(file, out -> TREES.writeTo(out).flush());
        // Cut after the header: the body's first read fails, so the file is not used.
        assertNull(WalkFile.readIfUsable(file, in -> TREES.readFrom(in).readInt()));
        WalkFile.write(
                file,
                out -> {
                    DataOutputStream d = TREES.writeTo(out);
                    d.writeInt(7);
                    d.flush();
                });
        Integer body = WalkFile.readIfUsable(file, in -> TREES.readFrom(in).readInt());
        assertEquals(7, body);
        assertEquals(12L, Files.size(file));
    }
}
