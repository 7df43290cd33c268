package dev.sedge.train;

import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.sweep.PlannedRun;
import dev.sedge.core.sweep.RunExecutor;
import dev.sedge.core.sweep.RunExecutor.Action;
import dev.sedge.core.sweep.RunFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Trains each run in this JVM, one at a time (with PyTorch only one run may train per JVM: DJL's
 * gradient collector is global), with the plan's resolved experiment. What a sweep uses when no
 * launcher is known (tests, an embedding application). The log gets one line per run, and the stack
 * trace of a failure. Thread-safe (calls are serialised).
 */
public final class InProcessExecutor implements RunExecutor {

    private final PluginRegistry registry;

    /** @param registry resolves a resumed run's recorded configuration */
    public InProcessExecutor(PluginRegistry registry) {
        this.registry = registry;
    }

    @Override
    public synchronized Optional<RunFailure> execute(PlannedRun run, Path conditionFile, Action action, Path log) {
        try {
            TrainingResult result = action == Action.TRAIN
                    ? Trainer.run(run.experiment(), run.directory(), TrainOptions.defaults())
                    : Trainer.resume(run.directory(), registry, TrainOptions.defaults());
            append(log, "sweep: " + run.id() + " trained in-process to step " + result.steps()
                    + (result.resumedFrom() >= 0 ? " (resumed after " + result.resumedFrom() + ")" : "") + " in "
                    + result.wallTime().toMillis() / 1000.0 + " s\n");
            return Optional.empty();
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            append(log, "sedge: " + e.getMessage() + "\n" + trace);
            return Optional.of(new RunFailure(run.id(), String.valueOf(e.getMessage()), log, OptionalInt.empty(),
                    Optional.of(e)));
        }
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public String description() {
        return "in this process, one run at a time";
    }

    /** Nothing to stop: a run in this JVM ends with it. */
    @Override
    public void stopAll() {
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a convenience: a run's result never depends on it
        }
    }
}
