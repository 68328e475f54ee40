package dev.byoe.jobs.pipeline;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The terminal's view of an execution: one line per step with its state and elapsed time. On an
 * interactive terminal the lines are redrawn in place every second; elsewhere (a log, CI) each
 * change of state is printed once.
 */
final class Progress {
    private record Line(String state, long startNanos, long endNanos, String detail) {}

    private final PrintStream out;
    private final boolean live;
    private final Map<String, Line> lines = new LinkedHashMap<>();
    private int drawn;

    Progress(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    synchronized void state(String step, String state, String detail) {
        Line before = lines.get(step);
        long now = System.nanoTime();
        long start = before == null ? now : before.startNanos();
        boolean ended = !state.equals("Executing");
        lines.put(step, new Line(state, start, ended ? now : 0, detail));
        if (live) {
            redraw();
        } else {
            out.println(format(step, lines.get(step)));
            out.flush();
        }
    }

    /** Called every second while steps run; redraws on an interactive terminal. */
    synchronized void tick() {
        if (live && !lines.isEmpty()) {
            redraw();
        }
    }

    private void redraw() {
        StringBuilder b = new StringBuilder();
        if (drawn > 0) {
            b.append("\033[").append(drawn).append('F');
        }
        for (Map.Entry<String, Line> e : lines.entrySet()) {
            b.append("\033[2K").append(format(e.getKey(), e.getValue())).append('\n');
        }
        drawn = lines.size();
        out.print(b);
        out.flush();
    }

    private static String format(String step, Line l) {
        long end = l.endNanos() == 0 ? System.nanoTime() : l.endNanos();
        return String.format(
                Locale.ROOT,
                "  %-24s %-10s %7.1f s%s",
                step,
                l.state(),
                (end - l.startNanos()) / 1e9,
                l.detail() == null ? "" : "  " + l.detail());
    }
}
