package dev.byoe.training.xgboost;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where XGBoost's training stood after a round: the booster and the early-stopping bookkeeping,
 * saved when the job is stopped mid-unit so that the next job goes on from that round rather than
 * the unit's first. Written aside and renamed, so a file found is whole.
 *
 * @param round rounds trained
 * @param booster the booster after them (UBJ)
 * @param best the best evaluation so far (infinity when none)
 * @param bestRound the round that reached it
 * @param bestModel the booster at that round (UBJ), or null
 */
record RoundState(int round, byte[] booster, float best, int bestRound, byte[] bestModel) {
    void save(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path aside = Files.createTempFile(file.toAbsolutePath().getParent(), ".round-", ".tmp");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(aside))) {
            out.writeInt(round);
            out.writeInt(booster.length);
            out.write(booster);
            out.writeFloat(best);
            out.writeInt(bestRound);
            out.writeInt(bestModel == null ? -1 : bestModel.length);
            if (bestModel != null) {
                out.write(bestModel);
            }
        }
        Files.move(
                aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static RoundState load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int round = in.readInt();
            byte[] booster = in.readNBytes(in.readInt());
            float best = in.readFloat();
            int bestRound = in.readInt();
            int n = in.readInt();
            byte[] bestModel = n < 0 ? null : in.readNBytes(n);
            return new RoundState(round, booster, best, bestRound, bestModel);
        }
    }
}
