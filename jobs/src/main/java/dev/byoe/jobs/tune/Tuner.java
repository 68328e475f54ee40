package dev.byoe.jobs.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The tuning loop: keeps up to MaxParallelTrainingJobs trials running, asks the strategy for the
 * next candidate whenever a slot is free, and feeds finished trials back to it. A trial that
 * trained but whose objective regex matched nothing means the regex is wrong for every trial, so no
 * further trials start and the tuning job fails with that reason.
 */
public final class Tuner {
    /** How a tuning job ended, as DescribeHyperParameterTuningJob would show it. */
    public record Result(
            List<Trial> trials, Trial best, String status, String failureReason, double seconds) {}

    private final TuningConfig config;
    private final SearchStrategy strategy;
    private final TrialRunnerFactory runners;
    private final Consumer<String> log;
    private final List<Trial> finished = new ArrayList<>();

    /** Makes the runner once the tuner can report completed trials' series to it. */
    public interface TrialRunnerFactory {
        TrialRunner create(java.util.function.Supplier<List<List<Double>>> completedSeries);
    }

    public Tuner(
            TuningConfig config,
            SearchStrategy strategy,
            TrialRunnerFactory runners,
            Consumer<String> log) {
        this.config = config;
        this.strategy = strategy;
        this.runners = runners;
        this.log = log;
    }

    public Result run() throws InterruptedException {
        long start = System.nanoTime();
        TrialRunner runner = runners.create(this::completedSeries);
        ExecutorService pool = Executors.newFixedThreadPool(config.maxParallel());
        CompletionService<Trial> done = new ExecutorCompletionService<>(pool);
        List<Outcome> outcomes = new ArrayList<>();
        List<Candidate> running = new ArrayList<>();
        String failure = null;
        int launched = 0;
        try {
            while (true) {
                while (failure == null && running.size() < config.maxParallel()) {
                    SearchStrategy.Step step =
                            strategy.next(List.copyOf(outcomes), List.copyOf(running));
                    if (!(step instanceof SearchStrategy.Launch(Candidate c))) {
                        break;
                    }
                    int number = ++launched;
                    running.add(c);
                    log.accept("trial " + number + " starts: " + c.hyperparameters());
                    done.submit(() -> runner.run(c, number));
                }
                if (running.isEmpty()) {
                    break;
                }
                Trial t = done.take().get();
                running.remove(t.candidate());
                synchronized (finished) {
                    finished.add(t);
                }
                outcomes.add(new Outcome(t.candidate(), t.score(config.objective().minimize())));
                log.accept(
                        String.format(
                                Locale.ROOT,
                                "trial %d %s in %.1f s: %s%s",
                                t.number(),
                                t.status(),
                                t.seconds(),
                                t.objective() == null
                                        ? "no objective"
                                        : config.objective().metricName() + "=" + t.objective(),
                                t.failureReason() == null ? "" : " (" + t.failureReason() + ")"));
                if (t.objectiveNeverMatched() && failure == null) {
                    failure =
                            "trial "
                                    + t.number()
                                    + " ("
                                    + t.name()
                                    + ") trained but "
                                    + t.failureReason()
                                    + "; no further trials were started";
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "a trial crashed the tuner: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<Trial> trials =
                finished.stream().sorted(Comparator.comparingInt(Trial::number)).toList();
        Trial best = best(trials);
        if (failure == null && best == null) {
            failure = "no trial completed with an objective value";
        }
        return new Result(
                trials,
                best,
                failure == null ? "Completed" : "Failed",
                failure,
                (System.nanoTime() - start) / 1e9);
    }

    private Trial best(List<Trial> trials) {
        boolean minimize = config.objective().minimize();
        return trials.stream()
                .filter(t -> t.status() == Trial.Status.Completed && t.objective() != null)
                .min(Comparator.comparingDouble(t -> t.score(minimize)))
                .orElse(null);
    }

    private List<List<Double>> completedSeries() {
        synchronized (finished) {
            return finished.stream()
                    .filter(t -> t.status() == Trial.Status.Completed)
                    .map(Trial::objectiveSeries)
                    .toList();
        }
    }
}
