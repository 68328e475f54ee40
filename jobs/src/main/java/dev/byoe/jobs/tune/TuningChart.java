package dev.byoe.jobs.tune;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * {@code objective.png}: the objective (vertical axis, named in the title) against the trial
 * number, then against each tuned hyperparameter (on its own scale: log for Logarithmic ranges, one
 * column per category), drawn with Java2D. Completed trials are blue, stopped ones orange, the best
 * red; failed trials have no objective and are not drawn.
 */
public final class TuningChart {
    private static final int PANEL_W = 420;
    private static final int PANEL_H = 300;
    private static final int MARGIN = 52;
    private static final Color COMPLETED = new Color(31, 119, 180);
    private static final Color STOPPED = new Color(255, 127, 14);
    private static final Color BEST = new Color(214, 39, 40);

    private TuningChart() {}

    private record Axis(
            String label,
            ToDoubleFunction<Trial> x,
            double min,
            double max,
            boolean log,
            List<String> categories) {}

    public static void write(TuningConfig config, List<Trial> trials, Trial best, Path file)
            throws IOException {
        List<Axis> axes = new ArrayList<>();
        axes.add(new Axis("trial", Trial::number, 1, Math.max(2, trials.size()), false, null));
        List<ParameterRange> ranges = new ArrayList<>(config.ranges());
        if (config.hyperband() != null) {
            ranges.add(
                    new ParameterRange.Integer(
                            config.hyperband().resource(),
                            config.hyperband().minResource(),
                            config.hyperband().maxResource(),
                            Scaling.LINEAR));
        }
        for (ParameterRange r : ranges) {
            axes.add(
                    switch (r) {
                        case ParameterRange.Continuous c ->
                                new Axis(
                                        c.name(),
                                        t -> value(t, c.name()),
                                        c.min(),
                                        c.max(),
                                        c.scaling() == Scaling.LOGARITHMIC,
                                        null);
                        case ParameterRange.Integer i ->
                                new Axis(
                                        i.name(),
                                        t -> value(t, i.name()),
                                        i.min(),
                                        Math.max(i.max(), i.min() + 1),
                                        i.scaling() == Scaling.LOGARITHMIC,
                                        null);
                        case ParameterRange.Categorical c ->
                                new Axis(
                                        c.name(),
                                        t -> c.values().indexOf(t.hyperparameters().get(c.name())),
                                        -0.5,
                                        c.values().size() - 0.5,
                                        false,
                                        c.values());
                    });
        }
        int columns = Math.min(axes.size(), 2);
        int rows = (axes.size() + columns - 1) / columns;
        BufferedImage image =
                new BufferedImage(
                        columns * PANEL_W, rows * PANEL_H + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(
                config.jobName()
                        + ": "
                        + config.objective().metricName()
                        + " ("
                        + config.objective().type()
                        + ")",
                10,
                20);
        List<Trial> plotted = trials.stream().filter(t -> t.objective() != null).toList();
        double yMin = plotted.stream().mapToDouble(Trial::objective).min().orElse(0);
        double yMax = plotted.stream().mapToDouble(Trial::objective).max().orElse(1);
        if (yMax - yMin < 1e-12) {
            yMin -= 0.5;
            yMax += 0.5;
        }
        for (int i = 0; i < axes.size(); i++) {
            panel(
                    g,
                    axes.get(i),
                    plotted,
                    best,
                    (i % columns) * PANEL_W,
                    30 + (i / columns) * PANEL_H,
                    yMin,
                    yMax);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static double value(Trial t, String name) {
        try {
            return Double.parseDouble(t.hyperparameters().get(name));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void panel(
            Graphics2D g,
            Axis axis,
            List<Trial> trials,
            Trial best,
            int ox,
            int oy,
            double yMin,
            double yMax) {
        int left = ox + MARGIN;
        int right = ox + PANEL_W - 16;
        int top = oy + 16;
        int bottom = oy + PANEL_H - 40;
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(fmt(yMax), ox + 2, top + 10);
        g.drawString(fmt(yMin), ox + 2, bottom);
        if (axis.categories() != null) {
            for (int c = 0; c < axis.categories().size(); c++) {
                g.drawString(
                        axis.categories().get(c), (int) x(axis, c, left, right) - 12, bottom + 14);
            }
        } else {
            g.drawString(fmt(axis.min()), left, bottom + 14);
            String max = fmt(axis.max());
            g.drawString(max, right - g.getFontMetrics().stringWidth(max), bottom + 14);
        }
        g.drawString(
                axis.label() + (axis.log() ? " (log)" : ""), (left + right) / 2 - 20, bottom + 30);
        for (Trial t : trials) {
            double xv = axis.x().applyAsDouble(t);
            if (!Double.isFinite(xv)) {
                continue;
            }
            int px = (int) x(axis, xv, left, right);
            int py =
                    (int)
                            (bottom
                                    - (t.objective() - yMin) / (yMax - yMin) * (bottom - top - 8)
                                    - 4);
            g.setColor(t == best ? BEST : t.status() == Trial.Status.Stopped ? STOPPED : COMPLETED);
            int r = t == best ? 6 : 4;
            g.fillOval(px - r, py - r, 2 * r, 2 * r);
        }
    }

    private static double x(Axis axis, double v, int left, int right) {
        double u =
                axis.log()
                        ? (Math.log(v) - Math.log(axis.min()))
                                / (Math.log(axis.max()) - Math.log(axis.min()))
                        : (v - axis.min()) / (axis.max() - axis.min());
        return left + 6 + Math.min(1, Math.max(0, u)) * (right - left - 12);
    }

    private static String fmt(double v) {
        return String.format(
                Locale.ROOT, Math.abs(v) >= 100 || v == Math.rint(v) ? "%.0f" : "%.3g", v);
    }
}
