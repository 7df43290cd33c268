package dev.sedge.core.run;

import dev.sedge.api.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where each artifact of a run directory lives (docs/run-directory.md).
 * Pure path arithmetic: nothing is read or created here. Immutable.
 *
 * <pre>
 * run/
 *   run.json        manifest: format version, provenance, parameter layout
 *   model.onnx      an imported run's model, when it was imported with one
 *   split.json      the inputs an imported run's model trained on, when given
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

    /** A step file: {@link #checkpoint(long)}'s name. */
    private static final Pattern STEP_FILE = Pattern.compile("step-(\\d{9,})\\.safetensors");
    /** An explanation's file: {@link #explanation(long)}'s name. */
    private static final Pattern EXPLANATION_FILE = Pattern.compile("step-(\\d{9,})\\.json");

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

    /** An imported run's model graph, copied in by {@code sedge import --model}. */
    public Path model() {
        return root.resolve("model.onnx");
    }

    /** The inputs an imported run's model trained on, when {@code sedge import --train} gave them. */
    public Path split() {
        return root.resolve("split.json");
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

    /**
     * The weight-decay part Δθ_wd of the spectrum group's change over the checkpoint interval ending at
     * {@code step}, as the optimizer split it: {@code checkpoints/decay/step-NNNNNNNNN.safetensors}
     * (docs/run-directory.md, "The weight-decay record").
     */
    public Path decayPart(long step) {
        return checkpoints().resolve("decay").resolve(checkpoint(step).getFileName());
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

    /** What {@code sedge explain} found at the window ending at {@code step}: {@code explain/step-NNNNNNNNN.json}. */
    public Path explanation(long step) {
        return explain().resolve(stepFileName(step, ".json"));
    }

    public Path report() {
        return root.resolve("report.html");
    }

    /**
     * The steps of the parameter files in {@link #checkpoints()}, ascending; empty without the folder.
     *
     * @throws DataFormatException if the folder cannot be listed
     */
    public List<Long> checkpointSteps() {
        return steps(checkpoints());
    }

    /**
     * The steps of the {@code step-NNNNNNNNN.safetensors} files in {@code folder} (the checkpoints, or
     * a sub-folder of them kept the same way), ascending; empty without the folder.
     *
     * @throws DataFormatException if the folder cannot be listed
     */
    public static List<Long> steps(Path folder) {
        return steps(folder, STEP_FILE);
    }

    /**
     * The steps of the windows {@code sedge explain} explained ({@link #explanation(long)}), ascending.
     *
     * @throws DataFormatException if the folder cannot be listed
     */
    public List<Long> explanationSteps() {
        return steps(explain(), EXPLANATION_FILE);
    }

    private static List<Long> steps(Path folder, Pattern name) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> name.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new DataFormatException("cannot list " + folder + ": " + e.getMessage());
        }
    }

    static String stepFileName(long step, String extension) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        return String.format("step-%09d%s", step, extension);
    }
}
