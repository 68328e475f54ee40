package dev.byoe.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.byoe.formats.recordio.RecordIoReader;
import dev.byoe.formats.recordio.RecordIoWriter;
import dev.byoe.formats.recordio.RecordRows;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Float32Tensor;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Float64Tensor;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Int32Tensor;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Record;
import dev.byoe.formats.recordio.proto.SageMakerRecord.Value;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordIoTest {
    /** A frame laid out by hand: magic, flag and length, payload, zero padding. */
    private static void frame(ByteArrayOutputStream out, int flag, byte[] payload) {
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0xCED7230A).putInt(flag << 29 | payload.length);
        out.writeBytes(head.array());
        out.writeBytes(payload);
        out.writeBytes(new byte[(4 - payload.length % 4) % 4]);
    }

    private static RecordIoReader reader(byte[] bytes) {
        return new RecordIoReader(new ByteArrayInputStream(bytes), "f");
    }

    @Test
    void readsWholeAndMultiPartRecordsWithTheirPadding() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, 0, new byte[] {1, 2, 3});
        frame(out, 1, new byte[] {4, 5});
        frame(out, 2, new byte[] {6});
        frame(out, 3, new byte[] {7, 8, 9, 10, 11});
        frame(out, 0, new byte[0]);
        RecordIoReader r = reader(out.toByteArray());
        assertArrayEquals(new byte[] {1, 2, 3}, r.next());
        assertArrayEquals(new byte[] {4, 5, 6, 7, 8, 9, 10, 11}, r.next());
        assertEquals(2, r.records());
        assertArrayEquals(new byte[0], r.next());
        assertNull(r.next());
    }

    @Test
    void theWriterWritesWhatAHandLaidFrameHolds() throws Exception {
        ByteArrayOutputStream byHand = new ByteArrayOutputStream();
        frame(byHand, 0, new byte[] {9, 8, 7, 6, 5});
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        new RecordIoWriter(written).write(new byte[] {9, 8, 7, 6, 5});
        assertArrayEquals(byHand.toByteArray(), written.toByteArray());
    }

    @Test
    void badFramesNameTheRecordAndByte() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, 0, new byte[] {1, 2, 3, 4});
        frame(out, 0, new byte[] {5});
        byte[] bytes = out.toByteArray();
        bytes[12] = 0x11;
        RecordIoReader r = reader(bytes);
        r.next();
        FormatProblem magic = assertThrows(FormatProblem.class, r::next);
        assertTrue(
                magic.getMessage().startsWith("f, record 2 (byte 12): bad magic number 0xCED72311"),
                magic.getMessage());

        FormatProblem truncated =
                assertThrows(
                        FormatProblem.class,
                        () -> reader(Arrays.copyOf(out.toByteArray(), 10)).next());
        assertTrue(truncated.getMessage().contains("ends after 2"), truncated.getMessage());

        ByteArrayOutputStream orphan = new ByteArrayOutputStream();
        frame(orphan, 3, new byte[] {1});
        assertThrows(FormatProblem.class, () -> reader(orphan.toByteArray()).next());
        ByteArrayOutputStream unfinished = new ByteArrayOutputStream();
        frame(unfinished, 1, new byte[] {1});
        assertThrows(FormatProblem.class, () -> reader(unfinished.toByteArray()).next());
    }

    private static Value tensor(Float32Tensor.Builder t) {
        return Value.newBuilder().setFloat32Tensor(t).build();
    }

    @Test
    void denseSparseAndOtherNumericTensorsBecomeRows() {
        Record dense =
                Record.newBuilder()
                        .putFeatures(
                                "values",
                                tensor(
                                        Float32Tensor.newBuilder()
                                                .addValues(1)
                                                .addValues(0)
                                                .addValues(3)))
                        .putLabel("values", tensor(Float32Tensor.newBuilder().addValues(2)))
                        .build();
        NumericRow d = RecordRows.row(dense.toByteArray(), "r 1");
        assertEquals("2", d.label());
        assertArrayEquals(new int[] {0, 1, 2}, d.positions());
        assertEquals(3, d.size());

        Record sparse =
                Record.newBuilder()
                        .putFeatures(
                                "values",
                                tensor(
                                        Float32Tensor.newBuilder()
                                                .addValues(5)
                                                .addValues(6)
                                                .addKeys(1)
                                                .addKeys(7)
                                                .addShape(10)))
                        .build();
        NumericRow s = RecordRows.row(sparse.toByteArray(), "r 2");
        assertNull(s.label());
        assertArrayEquals(new int[] {1, 7}, s.positions());
        assertEquals(10, s.size());

        Record doubles =
                Record.newBuilder()
                        .putFeatures(
                                "values",
                                Value.newBuilder()
                                        .setFloat64Tensor(
                                                Float64Tensor.newBuilder()
                                                        .addValues(0.5)
                                                        .addValues(1.5))
                                        .build())
                        .putLabel(
                                "values",
                                Value.newBuilder()
                                        .setInt32Tensor(Int32Tensor.newBuilder().addValues(3))
                                        .build())
                        .build();
        NumericRow f = RecordRows.row(doubles.toByteArray(), "r 3");
        assertArrayEquals(new float[] {0.5f, 1.5f}, f.values());
        assertEquals("3", f.label());

        Record outside =
                Record.newBuilder()
                        .putFeatures(
                                "values",
                                tensor(
                                        Float32Tensor.newBuilder()
                                                .addValues(5)
                                                .addKeys(12)
                                                .addShape(10)))
                        .build();
        FormatProblem p =
                assertThrows(
                        FormatProblem.class, () -> RecordRows.row(outside.toByteArray(), "r 4"));
        assertTrue(p.getMessage().startsWith("r 4: feature key 12"), p.getMessage());
        FormatProblem notProtobuf =
                assertThrows(
                        FormatProblem.class,
                        () -> RecordRows.row(new byte[] {(byte) 0xFF, 1}, "r 5"));
        assertTrue(notProtobuf.getMessage().startsWith("r 5: not a protobuf Record"));
    }

    @Test
    void answersAreRecordsWithNamedLabelVectors() throws Exception {
        Map<String, float[]> label = new LinkedHashMap<>();
        label.put("score", new float[] {0.25f});
        label.put("probabilities", new float[] {0.25f, 0.75f});
        Record r = Record.parseFrom(RecordRows.answer(label));
        assertEquals(0.25f, r.getLabelOrThrow("score").getFloat32Tensor().getValues(0));
        assertEquals(2, r.getLabelOrThrow("probabilities").getFloat32Tensor().getValuesCount());
    }
}
