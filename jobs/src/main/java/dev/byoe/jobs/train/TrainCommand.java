package dev.byoe.jobs.train;

import dev.byoe.jobs.contract.FailureFile;
import dev.byoe.jobs.contract.JobCommand;
import dev.byoe.jobs.contract.MlPaths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code byoe train}: the command SageMaker starts a training container with. */
@Command(
        name = TrainCommand.NAME,
        description = {
            "Runs one SageMaker training job: reads $BYOE_ML_ROOT (else /opt/ml)/input, writes the"
                    + " model to model/ and, on failure, the reason to output/failure.",
            "Hyperparameters come from input/config/hyperparameters.json; README lists them."
        })
public final class TrainCommand implements Callable<Integer>, JobCommand {
    /** The argument SageMaker starts a training container with. */
    public static final String NAME = "train";

    @Override
    public Integer call() {
        return TrainingJob.run(System.getenv(), System.out, System.err);
    }

    @Override
    public int refuse(String reason) {
        System.err.println("byoe train failed: " + reason);
        FailureFile.write(MlPaths.fromEnvironment(System.getenv()).failure(), reason);
        return 1;
    }
}
