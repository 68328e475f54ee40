package dev.byoe.model.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both lists are written alike; a load checks the CRC-32C list, or the SHA-256 one without it. */
class ChecksumsTest {
    @TempDir Path dir;

    private final byte[] trees = new byte[200_000];

    @BeforeEach
    void model() throws IOException {
        new java.util.Random(7).nextBytes(trees);
        Files.createDirectories(dir.resolve("members/xgboost"));
        Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"test\"}");
        Files.write(dir.resolve("members/xgboost/trees.bin"), trees);
        Checksums.write(dir);
    }

    @Test
    void bothListsNameEveryFileWithDigestsTheirToolsAgreeWith() throws Exception {
        List<String> sha = Files.readAllLines(dir.resolve(Checksums.FILE));
        List<String> crc = Files.readAllLines(dir.resolve(Checksums.FAST_FILE));
        assertEquals(2, sha.size());
        assertEquals(2, crc.size());
        String shaOfTrees =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(trees));
        CRC32C crc32c = new CRC32C();
        crc32c.update(trees);
        String crcOfTrees = String.format("%08x", crc32c.getValue());
        assertEquals("manifest.json", sha.get(0).substring(66));
        assertEquals(shaOfTrees + "  members/xgboost/trees.bin", sha.get(1));
        assertEquals(crcOfTrees + "  members/xgboost/trees.bin", crc.get(1));
        Checksums.verify(dir);
    }

    @Test
    void aChangedByteIsFoundByTheCrcListAndNamed() throws IOException {
        flipAByte("members/xgboost/trees.bin");
        IOException e = assertThrows(IOException.class, () -> Checksums.verify(dir));
        assertTrue(
                e.getMessage().contains("members/xgboost/trees.bin differs from its CRC-32C"),
                e.getMessage());
        assertTrue(e.getMessage().contains(Checksums.FAST_FILE), e.getMessage());
    }

    @Test
    void truncatedAndMissingFilesAreAllNamed() throws IOException {
        Files.write(dir.resolve("members/xgboost/trees.bin"), new byte[10]);
        Files.delete(dir.resolve("manifest.json"));
        IOException e = assertThrows(IOException.class, () -> Checksums.verify(dir));
        assertTrue(e.getMessage().contains("manifest.json is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("(10 bytes now;"), e.getMessage());
    }

    @Test
    void aModelSavedBeforeTheCrcListIsCheckedWithItsShaList() throws IOException {
        Files.delete(dir.resolve(Checksums.FAST_FILE));
        Checksums.verify(dir);
        flipAByte("members/xgboost/trees.bin");
        IOException e = assertThrows(IOException.class, () -> Checksums.verify(dir));
        assertTrue(
                e.getMessage().contains("trees.bin differs from its SHA-256 in checksums.sha256"),
                e.getMessage());
    }

    @Test
    void aModelWithNeitherListLoadsUnchecked() throws IOException {
        Files.delete(dir.resolve(Checksums.FAST_FILE));
        Files.delete(dir.resolve(Checksums.FILE));
        flipAByte("members/xgboost/trees.bin");
        Checksums.verify(dir);
    }

    @Test
    void aMalformedOrEscapingLineIsRefusedWithItsList() throws IOException {
        Files.writeString(
                dir.resolve(Checksums.FAST_FILE), "abc  manifest.json\n", StandardCharsets.UTF_8);
        IOException bad = assertThrows(IOException.class, () -> Checksums.verify(dir));
        assertEquals("checksums.crc32c line 1 is not '<CRC-32C>  <file>'", bad.getMessage());
        Files.writeString(
                dir.resolve(Checksums.FAST_FILE), "00000000  ../outside\n", StandardCharsets.UTF_8);
        IOException out = assertThrows(IOException.class, () -> Checksums.verify(dir));
        assertTrue(out.getMessage().contains("outside the model directory"), out.getMessage());
    }

    @Test
    void savingAgainReplacesBothListsAndNeitherListsTheOther() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"changed\"}");
        Checksums.write(dir);
        Checksums.verify(dir);
        for (String list : List.of(Checksums.FILE, Checksums.FAST_FILE)) {
            String text = Files.readString(dir.resolve(list));
            assertTrue(!text.contains("checksums."), list + " lists a list: " + text);
        }
    }

    private void flipAByte(String file) throws IOException {
        Path f = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(f, bytes);
    }
}
