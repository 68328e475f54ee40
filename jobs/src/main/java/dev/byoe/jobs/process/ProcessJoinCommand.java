package dev.byoe.jobs.process;

import dev.byoe.core.JobFailure;
import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.JobCommand;
import dev.byoe.jobs.contract.MlPaths;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code byoe process-join}: the processing step after a sharded {@code process} job (one host per
 * shard, each writing under its host name). Its input is that job's output prefix; it writes the
 * sessions, templates, event counts and parser one host would have written for all the logs. Inputs
 * and output default as for {@code process}; a failure writes {@code output/message}.
 */
@Command(
        name = "process-join",
        sortOptions = false,
        description = {
            "Joins the per-host outputs of a process job on several instances: one parser, every"
                    + " session whole and in input order."
        })
public final class ProcessJoinCommand implements Callable<Integer>, JobCommand {
    @Option(
            names = "--input",
            paramLabel = "DIR",
            description = "the sharded job's output, holding one folder per host")
    Path input;

    @Option(names = "--output", paramLabel = "DIR")
    Path output;

    @Option(names = "--labels", paramLabel = "FILE", description = "SessionId,Label CSV")
    Path labels;

    @Override
    public Integer call() {
        MlPaths paths = MlPaths.fromEnvironment(System.getenv());
        try {
            ProcessCommand.JobConfig job = ProcessCommand.JobConfig.read(paths.root());
            Path in = input != null ? input : job.inputs().get(0);
            Path out = output != null ? output : job.output();
            Path labelFile = labels != null ? labels : job.labels();
            Map<String, Object> summary =
                    ShardJoin.join(
                            in, out, labelFile == null ? null : LogProcessor.readLabels(labelFile));
            System.err.println(
                    "byoe process-join: "
                            + ((java.util.List<?>) summary.get("hosts")).size()
                            + " hosts, "
                            + summary.get("lines")
                            + " lines, "
                            + summary.get("events")
                            + " events, "
                            + summary.get("sessions")
                            + " sessions -> "
                            + out);
            return 0;
        } catch (Exception e) {
            return FailureFile.processingJobFailed(
                    "process-join", e, paths.processingMessage(), System.err);
        }
    }

    @Override
    public int refuse(String reason) {
        return FailureFile.processingJobFailed(
                "process-join",
                new JobFailure(reason),
                MlPaths.fromEnvironment(System.getenv()).processingMessage(),
                System.err);
    }
}
