package dev.byoe.training.catboost;

import static dev.byoe.training.member.HyperparameterDefinition.categorical;
import static dev.byoe.training.member.HyperparameterDefinition.continuous;
import static dev.byoe.training.member.HyperparameterDefinition.integer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoe.core.Json;
import dev.byoe.core.data.Dataset;
import dev.byoe.core.data.FeatureBatch;
import dev.byoe.core.data.FeatureKind;
import dev.byoe.core.data.FeatureSchema;
import dev.byoe.core.data.Objective;
import dev.byoe.model.catboost.CatBoostModel;
import dev.byoe.model.member.MemberException;
import dev.byoe.model.member.MemberFormat;
import dev.byoe.model.member.MemberModel;
import dev.byoe.training.member.HyperparameterDefinition;
import dev.byoe.training.member.MemberSettings;
import dev.byoe.training.member.MemberTrainer;
import dev.byoe.training.member.MemberType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Gradient-boosted oblivious trees from CatBoost, with native categorical features. */
public final class CatBoostMember implements MemberType {

    /** byoe name -> CatBoost command-line flag, for options passed through when set. */
    private static final Map<String, String> FLAGS =
            Map.of(
                    "l2_leaf_reg", "--l2-leaf-reg",
                    "border_count", "--border-count",
                    "random_strength", "--random-strength",
                    "one_hot_max_size", "--one-hot-max-size",
                    "rsm", "--rsm",
                    "grow_policy", "--grow-policy",
                    "nan_mode", "--nan-mode");

    @Override
    public List<HyperparameterDefinition> hyperparameters() {
        return List.of(
                integer("num_round", 1, 100_000, 100L, "boosting iterations"),
                integer("max_depth", 1, 16, 6L, "tree depth (CatBoost allows at most 16)"),
                continuous("eta", 0, true, 1, 0.1, "learning rate"),
                continuous(
                        "l2_leaf_reg",
                        0,
                        false,
                        Double.MAX_VALUE,
                        null,
                        "L2 regularisation of leaf values"),
                integer("border_count", 1, 65_535, null, "splits per numeric feature"),
                continuous(
                        "random_strength",
                        0,
                        false,
                        Double.MAX_VALUE,
                        null,
                        "randomness of split scoring"),
                integer(
                        "one_hot_max_size",
                        0,
                        255,
                        null,
                        "one-hot encode categoricals with at most this many values"),
                continuous("rsm", 0, true, 1, null, "feature sampling ratio per split"),
                categorical(
                        "grow_policy",
                        List.of("SymmetricTree", "Depthwise", "Lossguide"),
                        null,
                        "tree growing policy"),
                categorical(
                        "nan_mode",
                        List.of("Min", "Max"),
                        null,
                        "a missing numeric value splits as below (Min) or above (Max) every border"),
                integer("thread_count", 0, 1024, 0L, "training threads (0 = all cores)"));
    }

    @Override
    public MemberTrainer trainer(MemberSettings settings) {
        return data -> train(settings, data);
    }

    private MemberModel train(MemberSettings s, Dataset data) throws MemberException {
        Path work = null;
        try {
            work = Files.createTempDirectory("byoe-catboost-");
            Path learn = work.resolve("learn.tsv");
            Path cd = work.resolve("columns.cd");
            // With two formats CatBoost appends each one's extension: model.bin, model.json.
            Path model = work.resolve("model");
            // The JSON export describes numeric-only models completely (categorical counters
            // would stay native): it is what the trees walked in Java are read from.
            boolean exportJson = data.schema().categoricalCount() == 0;
            writeColumnDescription(data.schema(), cd);
            writeLearnSet(data, learn);
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--learn-set", learn.toString(),
                                    "--column-description", cd.toString(),
                                    "--loss-function",
                                            switch (s.objective()) {
                                                case REGRESSION -> "RMSE";
                                                case BINARY -> "Logloss";
                                                case MULTICLASS -> "MultiClass";
                                            },
                                    "--iterations", Integer.toString(s.getInt("num_round")),
                                    "--depth", Integer.toString(s.getInt("max_depth")),
                                    "--learning-rate", Double.toString(s.getDouble("eta")),
                                    "--random-seed", Long.toString(s.seed()),
                                    "--thread-count",
                                            Integer.toString(
                                                    s.getInt("thread_count") == 0
                                                            ? s.threads()
                                                            : s.getInt("thread_count")),
                                    "--model-file", model.toString(),
                                    "--train-dir", work.resolve("info").toString(),
                                    "--logging-level", "Silent"));
            if (exportJson) {
                args.addAll(List.of("--model-format", "CatboostBinary,Json"));
            }
            if (s.objective() == Objective.MULTICLASS) {
                // Fix the class set, so that a fold missing a rare class still predicts every
                // class.
                List<String> idx = new ArrayList<>();
                for (int i = 0; i < data.target().classes().size(); i++) {
                    idx.add(Integer.toString(i));
                }
                args.add("--class-names");
                args.add(String.join(",", idx));
            }
            for (Map.Entry<String, String> f : FLAGS.entrySet()) {
                if (s.has(f.getKey())) {
                    args.add(f.getValue());
                    args.add(String.valueOf(s.hyperparameters().get(f.getKey())));
                }
            }
            CatBoostFitProcess.fit(args, work);
            Path binary = exportJson ? work.resolve("model.bin") : model;
            if (!Files.isRegularFile(binary)) {
                throw new MemberException("CatBoost finished without writing a model file");
            }
            byte[] bytes = Files.readAllBytes(binary);
            Path json = work.resolve("model.json");
            JsonNode exported =
                    Files.isRegularFile(json) ? Json.MAPPER.readTree(json.toFile()) : null;
            return new CatBoostModel(bytes, exported, data.schema(), data.target());
        } catch (IOException e) {
            throw new MemberException("CatBoost training failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static void writeColumnDescription(FeatureSchema schema, Path cd) throws IOException {
        StringBuilder sb = new StringBuilder("0\tLabel\n");
        for (int i = 0; i < schema.size(); i++) {
            String kind = schema.feature(i).kind() == FeatureKind.CATEGORICAL ? "Categ" : "Num";
            sb.append(i + 1)
                    .append('\t')
                    .append(kind)
                    .append('\t')
                    .append(CatBoostModel.clean(schema.feature(i).name()))
                    .append('\n');
        }
        Files.writeString(cd, sb, StandardCharsets.UTF_8);
    }

    private static void writeLearnSet(Dataset data, Path file) throws IOException {
        FeatureBatch b = data.features();
        FeatureSchema schema = b.schema();
        boolean classification = data.target().objective().isClassification();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int r = 0; r < b.rows(); r++) {
                double label = data.labels()[r];
                w.write(classification ? Integer.toString((int) label) : Double.toString(label));
                for (int c = 0; c < schema.size(); c++) {
                    w.write('\t');
                    int slot = schema.slot(c);
                    if (schema.feature(c).kind() == FeatureKind.NUMERIC) {
                        float v = b.numeric(r, slot);
                        w.write(Float.isNaN(v) ? "nan" : Float.toString(v));
                    } else {
                        w.write(CatBoostModel.clean(b.categorical(r, slot)));
                    }
                }
                w.write('\n');
            }
        }
    }

    @Override
    public MemberFormat format() {
        return CatBoostModel.FORMAT;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println(
                    String.format(
                            Locale.ROOT, "warning: could not delete %s: %s", dir, e.getMessage()));
        }
    }
}
