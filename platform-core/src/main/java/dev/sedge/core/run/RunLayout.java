package dev.sedge.core.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where each artifact of a run directory lives (docs/run-directory.md).
 * Pure path arithmetic: nothing is read or created here. Immutable.
 *
 * <pre>
 * run/
 *   run.json        manifest: format version, provenance, parameter layout
 *   metrics.csv     step, losses, accuracies, learning rate …
 *   checkpoints/    step-000000100.safetensors …
 *   spectrum.csv    one row per window
 *   edges/          step-….safetensors: edge directions
 *   events.json     detector events and summaries
 *   explain/        functional modes, ablations … (JSON)
 *   report.html     self-contained report
 * </pre>
 */
public record RunLayout(Path root) {

    public RunLayout {
        Objects.requireNonNull(root, "root");
    }

    /** Whether {@code dir} holds a run (it has a {@code run.json}). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("run.json"));
    }

    public Path manifest() {
        return root.resolve("run.json");
    }

    public Path metrics() {
        return root.resolve("metrics.csv");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /** {@code checkpoints/step-000000100.safetensors}: zero-padded so names sort by step. */
    public Path checkpoint(long step) {
        return checkpoints().resolve(stepFileName(step, ".safetensors"));
    }

    public Path spectrum() {
        return root.resolve("spectrum.csv");
    }

    public Path edges() {
        return root.resolve("edges");
    }

    /** {@code edges/step-000000100.safetensors}. */
    public Path edge(long step) {
        return edges().resolve(stepFileName(step, ".safetensors"));
    }

    public Path events() {
        return root.resolve("events.json");
    }

    public Path explain() {
        return root.resolve("explain");
    }

    public Path report() {
        return root.resolve("report.html");
    }

    static String stepFileName(long step, String extension) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        return String.format("step-%09d%s", step, extension);
    }
}
