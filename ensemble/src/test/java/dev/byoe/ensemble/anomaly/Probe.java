package dev.byoe.ensemble.anomaly;

import dev.byoe.ensemble.anomaly.deeplog.DeepLogMember;
import dev.byoe.ensemble.anomaly.pca.PcaMember;
import dev.byoe.ensemble.member.MemberSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

public class Probe {
    public static void main(String[] a) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/work/shared/data/hdfs/HDFS_100k_sessions.csv"));
        List<String> ids = new ArrayList<>(), tids = new ArrayList<>();
        List<int[]> seq = new ArrayList<>(), tseq = new ArrayList<>();
        List<Integer> lab = new ArrayList<>(), tlab = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            boolean train = f[2].equals("train");
            (train ? ids : tids).add(f[0]);
            (train ? seq : tseq).add(SessionBatch.parseSequence(f[4]));
            (train ? lab : tlab).add(Integer.parseInt(f[1]));
        }
        LabelledSessions tr = new LabelledSessions(new SessionBatch(ids, seq.toArray(new int[0][])), lab.stream().mapToInt(i -> i).toArray());
        LabelledSessions te = new LabelledSessions(new SessionBatch(tids, tseq.toArray(new int[0][])), tlab.stream().mapToInt(i -> i).toArray());
        int events = 31;
        TrainingContext ctx = new TrainingContext(events, te, null, System.out::println,
                (m, e, f) -> System.out.println(m + " epoch " + e + " " + f));
        Map<String, Object> hp = new HashMap<>();
        new PcaMember().hyperparameters().forEach(d -> hp.put(d.name(), d.parse(d.defaultValue())));
        var pca = new PcaMember().trainer(new MemberSettings(null, 1, 1, hp)).train(tr, ctx);
        var sc = pca.score(te.sessions());
        for (int i = 0; i < 40; i++) if (te.labels()[i] == 1 || i < 5) System.out.println("spe " + sc.scores()[i] + " thr " + sc.threshold() + " label " + te.labels()[i]);
        System.out.println("comp " + ((dev.byoe.ensemble.anomaly.pca.PcaDetector) pca).componentCount());
        System.out.println("pca " + DetectionMetrics.of(pca.score(te.sessions()).labels(), te.labels()).asMap());
        if (a.length > 4) return;
        hp.clear();
        new DeepLogMember().hyperparameters().forEach(d -> hp.put(d.name(), d.parse(d.defaultValue())));
        hp.put("epochs", Long.parseLong(a.length > 0 ? a[0] : "3"));
        hp.put("batch_size", Long.parseLong(a.length > 1 ? a[1] : "512"));
        if (a.length > 3) hp.put("learning_rate", Double.parseDouble(a[3]));
        long t = System.nanoTime();
        var dl = new DeepLogMember().trainer(new MemberSettings(null, 1, Integer.parseInt(a.length > 2 ? a[2] : "1"), hp)).train(tr, ctx);
        System.out.println("deeplog train s " + (System.nanoTime() - t) / 1e9);
        System.out.println("deeplog " + DetectionMetrics.of(dl.score(te.sessions()).labels(), te.labels()).asMap());
    }
}
