package dev.byoe.jobs.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline SVG, no scripts) with the violations and,
 * per feature, the baseline and current distributions drawn over each other.
 */
final class HtmlReport {
    /** One feature's row: either distribution may be absent (baseline-only report, new column). */
    record FeatureView(
            String name,
            String type,
            Distribution baseline,
            Distribution current,
            Double distance) {
        /** The baseline's features in its order, then the columns only the current data has. */
        static List<FeatureView> compare(
                ConstraintsFile.Constraints constraints,
                Map<String, StatisticsFile.Feature> baseline,
                DatasetProfile current,
                Map<String, Double> distances) {
            List<FeatureView> views = new ArrayList<>();
            for (ConstraintsFile.Feature c : constraints.features().values()) {
                StatisticsFile.Feature b = baseline.get(c.name());
                FeatureProfile f = current.feature(c.name());
                views.add(
                        new FeatureView(
                                c.name(),
                                c.type().name(),
                                b == null ? null : b.distribution(),
                                f == null ? null : f.distributionAs(c.type()),
                                distances.get(c.name())));
            }
            for (FeatureProfile f : current.features()) {
                if (!constraints.features().containsKey(f.name)) {
                    views.add(
                            new FeatureView(
                                    f.name,
                                    f.inferredType() + ", not in the baseline",
                                    null,
                                    f.distribution(),
                                    null));
                }
            }
            return views;
        }
    }

    private static final int BINS = 20;
    private static final int MAX_CATEGORIES = 15;
    private static final int W = 520;
    private static final int H = 160;
    private static final String BASELINE_COLOR = "#4c78a8";
    private static final String CURRENT_COLOR = "#f58518";

    private HtmlReport() {}

    static void write(
            Path file,
            String title,
            List<String> facts,
            List<FeatureView> features,
            List<Violation> violations)
            throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title>")
                .append(
                        "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
                .append(
                        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
                .append(".feature{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top}")
                .append(
                        ".bad{color:#b00}.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}</style>")
                .append("</head><body><h1>")
                .append(esc(title))
                .append("</h1><ul>");
        facts.forEach(f -> h.append("<li>").append(esc(f)).append("</li>"));
        h.append("</ul>");
        if (violations != null) {
            h.append("<h2>Violations (").append(violations.size()).append(")</h2>");
            if (violations.isEmpty()) {
                h.append("<p>None: the current data meets every baseline constraint.</p>");
            } else {
                h.append("<table><tr><th>feature</th><th>check</th><th>description</th></tr>");
                for (Violation v : violations) {
                    h.append("<tr class=\"bad\"><td>")
                            .append(esc(v.featureName()))
                            .append("</td><td>")
                            .append(esc(v.checkType()))
                            .append("</td><td>")
                            .append(esc(v.description()))
                            .append("</td></tr>");
                }
                h.append("</table>");
            }
        }
        h.append("<h2>Features</h2><p class=\"key\"><span style=\"background:")
                .append(BASELINE_COLOR)
                .append("\"></span>baseline")
                .append("<span style=\"background:")
                .append(CURRENT_COLOR)
                .append("\"></span>current</p>");
        for (FeatureView f : features) {
            h.append("<div class=\"feature\"><h3>")
                    .append(esc(f.name()))
                    .append(" <small>(")
                    .append(esc(f.type()));
            if (f.distance() != null) {
                h.append(String.format(Locale.ROOT, ", distance %.4f", f.distance()));
            }
            h.append(")</small></h3>");
            if (violations != null) {
                violations.stream()
                        .filter(v -> v.featureName().equals(f.name()))
                        .forEach(
                                v ->
                                        h.append("<div class=\"bad\">")
                                                .append(esc(v.checkType()))
                                                .append("</div>"));
            }
            h.append(chart(f.baseline(), f.current())).append("</div>");
        }
        h.append("</body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    private static String chart(Distribution baseline, Distribution current) {
        if (baseline instanceof Distribution.Numeric || current instanceof Distribution.Numeric) {
            return numeric(
                    baseline instanceof Distribution.Numeric b ? b : null,
                    current instanceof Distribution.Numeric c ? c : null);
        }
        return categorical(
                baseline instanceof Distribution.Categorical b ? b : null,
                current instanceof Distribution.Categorical c ? c : null);
    }

    /** Share of values per bin over the range both distributions span. */
    private static String numeric(Distribution.Numeric baseline, Distribution.Numeric current) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Distribution.Numeric d : new Distribution.Numeric[] {baseline, current}) {
            if (d != null && !d.sketch().isEmpty()) {
                lo = Math.min(lo, d.sketch().getMinItem());
                hi = Math.max(hi, d.sketch().getMaxItem());
            }
        }
        if (lo > hi) {
            return "<p>no numbers</p>";
        }
        if (lo == hi) {
            hi = lo + 1;
        }
        double[] edges = new double[BINS];
        for (int i = 0; i < BINS; i++) {
            edges[i] = lo + (hi - lo) * (i + 1) / BINS;
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < BINS; i++) {
            labels.add(i == 0 || i == BINS - 1 ? format(i == 0 ? lo : hi) : "");
        }
        return bars(labels, shares(baseline, edges), shares(current, edges));
    }

    private static double[] shares(Distribution.Numeric d, double[] edges) {
        if (d == null || d.sketch().isEmpty()) {
            return null;
        }
        double[] cdf = d.cdf(edges);
        double[] out = new double[edges.length];
        double previous = 0;
        for (int i = 0; i < edges.length; i++) {
            out[i] = cdf[i] - previous;
            previous = cdf[i];
        }
        return out;
    }

    private static String categorical(
            Distribution.Categorical baseline, Distribution.Categorical current) {
        Map<String, Double> weight = new LinkedHashMap<>();
        for (Distribution.Categorical d : new Distribution.Categorical[] {baseline, current}) {
            if (d != null && d.count() > 0) {
                double n = d.count();
                d.counts().forEach((k, v) -> weight.merge(k, v / n, Double::sum));
            }
        }
        List<String> values =
                weight.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                        .limit(MAX_CATEGORIES)
                        .map(Map.Entry::getKey)
                        .toList();
        return bars(values, categoricalShares(baseline, values), categoricalShares(current, values))
                + (weight.size() > values.size()
                        ? "<p>" + (weight.size() - values.size()) + " more values not drawn</p>"
                        : "");
    }

    private static double[] categoricalShares(Distribution.Categorical d, List<String> values) {
        if (d == null || d.count() == 0) {
            return null;
        }
        double n = d.count();
        return values.stream().mapToDouble(v -> d.counts().getOrDefault(v, 0L) / n).toArray();
    }

    private static String bars(List<String> labels, double[] baseline, double[] current) {
        double top = 0;
        for (double[] s : new double[][] {baseline, current}) {
            if (s != null) {
                for (double x : s) {
                    top = Math.max(top, x);
                }
            }
        }
        top = top == 0 ? 1 : top;
        int n = labels.size();
        double slot = (double) W / Math.max(1, n);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(H + 40)
                .append("\" role=\"img\"><line x1=\"0\" y1=\"")
                .append(H)
                .append("\" x2=\"")
                .append(W)
                .append("\" y2=\"")
                .append(H)
                .append("\" stroke=\"#888\"/>");
        for (int i = 0; i < n; i++) {
            double x = i * slot;
            bar(svg, baseline, i, x + 1, slot / 2 - 1, top, BASELINE_COLOR);
            bar(svg, current, i, x + slot / 2, slot / 2 - 1, top, CURRENT_COLOR);
            if (!labels.get(i).isEmpty()) {
                // The last label ends at the right edge instead of running off it.
                boolean last = i == n - 1 && n > 1;
                svg.append("<text x=\"")
                        .append(fmt(last ? W - 2 : x + 2))
                        .append("\" y=\"")
                        .append(H + 14 + (i % 2) * 12)
                        .append(last ? "\" text-anchor=\"end" : "")
                        .append("\" font-size=\"10\">")
                        .append(esc(labels.get(i)))
                        .append("</text>");
            }
        }
        return svg.append("</svg>").toString();
    }

    private static void bar(
            StringBuilder svg,
            double[] shares,
            int i,
            double x,
            double width,
            double top,
            String color) {
        if (shares == null) {
            return;
        }
        double h = shares[i] / top * (H - 10);
        svg.append("<rect x=\"")
                .append(fmt(x))
                .append("\" y=\"")
                .append(fmt(H - h))
                .append("\" width=\"")
                .append(fmt(Math.max(1, width)))
                .append("\" height=\"")
                .append(fmt(h))
                .append("\" fill=\"")
                .append(color)
                .append("\"><title>")
                .append(String.format(Locale.ROOT, "%.1f%%", shares[i] * 100))
                .append("</title></rect>");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String format(double v) {
        return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v != 0)
                ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
