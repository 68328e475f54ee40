package dev.byoe.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoe.jobs.api.LocalArns;
import dev.byoe.jobs.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a step's run has: its resolved arguments (and resolved step fields such as a QualityCheck's
 * {@code SkipCheck}), its own {@code /opt/ml}-shaped folder, its job's name, the folder standing in
 * for S3, the registry, and the launcher of byoe jobs.
 */
public final class StepRun {
    private final Step step;
    private final JsonNode arguments;
    private final JsonNode resolvedStep;
    private final Path root;
    private final String jobName;
    private final PipelineExecution execution;

    StepRun(
            Step step,
            JsonNode arguments,
            JsonNode resolvedStep,
            Path root,
            String jobName,
            PipelineExecution execution) {
        this.step = step;
        this.arguments = arguments;
        this.resolvedStep = resolvedStep;
        this.root = root;
        this.jobName = jobName;
        this.execution = execution;
    }

    public Step step() {
        return step;
    }

    public JsonNode arguments() {
        return arguments;
    }

    /** A step-level field (beside {@code Arguments}) with its functions resolved. */
    public JsonNode field(String name) {
        return resolvedStep.path(name);
    }

    /** The step's {@code /opt/ml}. */
    public Path root() {
        return root;
    }

    /**
     * The job's name, as SageMaker names a pipeline's jobs: {@code
     * pipelines-<execution>-<step>-...}.
     */
    public String jobName() {
        return jobName;
    }

    /** The ARN of the job or resource this step creates, e.g. {@code processing-job}. */
    public String arn(String resource) {
        return LocalArns.PREFIX + resource + "/" + jobName.toLowerCase(Locale.ROOT);
    }

    public String executionId() {
        return execution.id();
    }

    public LocalS3 s3() {
        return execution.settings().s3();
    }

    public ModelRegistry registry() {
        return new ModelRegistry(execution.settings().registry());
    }

    /** Where the Model steps of every execution under this root record their models. */
    public Path models() {
        return execution.settings().root().resolve("models");
    }

    /** Which images are byoe's. */
    public ByoeImages images() {
        return execution.settings().images();
    }

    /** Stops this step's job (a model server it started), as SageMaker stops a job. */
    public void stopJob() {
        execution.launcher().stop(jobName);
    }

    /** The local image a job runs in Docker: byoe's own image for a byoe image URI. */
    private String dockerImage(String image) {
        return images().contains(image) ? execution.settings().byoeImage() : image;
    }

    /** Whether a job with {@code image} runs in Docker (with {@code --docker}) rather than here. */
    public boolean inDocker(String image) {
        return execution.settings().docker() && image != null;
    }

    /**
     * A path inside the container ({@code /opt/ml/...}) as the job sees it: in Docker as it is,
     * here under the step's folder.
     */
    public String jobPath(String containerPath, String image) {
        if (inDocker(image) || !containerPath.startsWith("/opt/ml/")) {
            return containerPath;
        }
        return root.resolve(containerPath.substring("/opt/ml/".length())).toString();
    }

    /** A file under the step's folder as the job sees it (under {@code /opt/ml} in Docker). */
    public String jobPath(Path local, String image) {
        return inDocker(image)
                ? "/opt/ml/" + root.relativize(local.toAbsolutePath()).toString().replace('\\', '/')
                : local.toString();
    }

    /** A path inside the container, as a file here. */
    public Path local(String containerPath) {
        return containerPath.startsWith("/opt/ml/")
                ? root.resolve(containerPath.substring("/opt/ml/".length()))
                : Path.of(containerPath);
    }

    /** The job's output, beside its folder. */
    public Path log() {
        return root.getParent().resolve(root.getFileName() + ".log");
    }

    /** What the execution record shows of this step while it runs (e.g. its job's ARN). */
    public void metadata(String key, ObjectNode value) {
        execution.record().metadata(step.name(), key, value);
    }

    /** A line for the step's log (and the terminal's step view). */
    public void note(String line) {
        execution.note(step.name(), line);
    }

    /**
     * Runs a byoe job: {@code args} start with its command; {@code image} is the step's image (run
     * in Docker with {@code --docker}).
     */
    public JobLauncher.Outcome runJob(
            String image,
            List<String> args,
            Map<String, String> env,
            Consumer<String> lines,
            long maxRuntimeSeconds,
            List<String> dockerOptions)
            throws IOException, InterruptedException {
        return execution
                .launcher()
                .run(
                        new JobLauncher.Job(
                                jobName,
                                inDocker(image) ? dockerImage(image) : null,
                                args,
                                env,
                                root,
                                log(),
                                lines,
                                maxRuntimeSeconds,
                                dockerOptions));
    }
}
