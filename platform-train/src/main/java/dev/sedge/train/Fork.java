package dev.sedge.train;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Tensor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.io.AtomicFile;
import dev.sedge.core.plugin.PluginRegistry;
import dev.sedge.core.run.ForkOrigin;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.RunManifest;
import dev.sedge.spectral.SnapshotSpectralEngine.Kept;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A run continued from another run's checkpoint with a changed configuration ({@code sedge train --fork}):
 * an intervention such as switching weight decay off after grokking. The fork's steps up to the
 * checkpoint are the parent's; its run directory starts as a copy of the parent's up to there (checkpoint
 * files hard-linked where the file system allows, metrics.csv and spectrum.csv cut after the step) and is
 * then trained as a resumed run, so a fork with nothing changed ends bit for bit where the parent did.
 *
 * <p>What may change: {@code optimizer.*} but its name (the optimizer state carries over), {@code train.*},
 * {@code detectors} and {@code detector.*}. The seed, task, architecture and spectrum stay: the fork keeps
 * the parent's model, data and spectrum, whose windows straddle the fork like any other.
 *
 * <p>The live monitor needs the parent's last W + stride snapshots at the step. The parent keeps them for
 * its latest two checkpoints; at an earlier step they are rebuilt from the parent's parameter files at
 * those snapshot steps (a parent that checkpoints at every snapshot can be forked anywhere). A rebuilt
 * snapshot has no learning rate (NaN): a window reports its last update's rate, and every window that
 * ends at or before the step is read back from spectrum.csv, never recomputed. Where they are gone, the
 * live spectrum starts again from the step's own snapshot ({@link ForkOrigin#spectrumRestarted()}): its
 * windows after the step are the fork's alone, the first W snapshots later.
 */
final class Fork {

    /** The keys a fork may change: everything under these prefixes, and these names. */
    private static final List<String> CHANGEABLE = List.of("optimizer.", "train.", "detector.", "detectors");
    private static final String OPTIMIZER_NAME = "optimizer.name";

    final RunLayout parent;
    final long step;
    final Experiment experiment;
    final ForkOrigin origin;

    private Fork(RunLayout parent, long step, Experiment experiment, ForkOrigin origin) {
        this.parent = parent;
        this.step = step;
        this.experiment = experiment;
        this.origin = origin;
    }

    /**
     * Checks a fork of {@code parentDirectory} at {@code at} (default: its latest checkpoint with a state file)
     * with {@code overrides} laid over the parent's configuration; reads only run.json.
     *
     * @throws DataFormatException if the parent is not a trained run
     * @throws ConfigException if the step has no checkpoint to continue from, a key may not change, the
     *         configuration does not resolve, or {@code train.steps} does not lie after the step
     */
    static Fork plan(Path parentDirectory, OptionalLong at, Map<String, String> overrides, PluginRegistry registry) {
        RunLayout parent = new RunLayout(parentDirectory);
        RunManifest manifest = ManifestFile.read(parent.manifest());
        if (!manifest.kind().equals(Trainer.KIND)) {
            throw new DataFormatException(parent.manifest() + " describes a run of kind '" + manifest.kind()
                    + "'; only a run sedge trained (kind '" + Trainer.KIND + "') can be forked");
        }
        List<Long> resumable = parent.checkpointSteps().stream()
                .filter(s -> Files.isRegularFile(CheckpointFiles.state(parent, s))).toList();
        if (resumable.isEmpty()) {
            throw new ConfigException("run " + parentDirectory + " has no complete checkpoint to fork from");
        }
        long step = at.orElse(resumable.getLast());
        if (!resumable.contains(step)) {
            throw new ConfigException("run " + parentDirectory + " has no checkpoint at step " + step
                    + " to fork from; it has checkpoints at steps " + resumable);
        }
        Map<String, String> before = manifest.provenance().config();
        Map<String, String> config = new TreeMap<>(before);
        config.putAll(overrides);
        List<String> fixed = overrides.keySet().stream().filter(k -> !changeable(k)).sorted().toList();
        if (!fixed.isEmpty()) {
            throw new ConfigException("a fork continues its parent's model on its data and spectrum, so it cannot"
                    + " change " + fixed + "; it may change optimizer.* (but " + OPTIMIZER_NAME + "), train.*,"
                    + " detectors and detector.*");
        }
        Experiment experiment = Experiment.resolve(new ConfigSource(config), registry);
        if (experiment.train().steps() <= step) {
            throw new ConfigException("the fork starts at step " + step + " of " + parentDirectory + ", so "
                    + Trainer.STEPS_KEY + " = " + experiment.train().steps() + " leaves it nothing to train; give "
                    + Trainer.STEPS_KEY + " greater than " + step);
        }
        ForkOrigin origin = ForkOrigin.of(parentDirectory.toAbsolutePath().normalize().toString(), step, before,
                experiment.effective());
        return new Fork(parent, step, experiment, origin);
    }

    private static boolean changeable(String key) {
        return !key.equals(OPTIMIZER_NAME) && CHANGEABLE.stream().anyMatch(
                c -> c.endsWith(".") ? key.startsWith(c) : key.equals(c));
    }

    /** The parent's files the fork continues from: its parameter and state files at the step. */
    List<Path> inputs() {
        return List.of(CheckpointFiles.parameters(parent, step), CheckpointFiles.state(parent, step));
    }

    /**
     * The live monitor's start at the fork.
     *
     * @param history   the snapshots it starts from
     * @param restarted whether they are the step's alone: the parent's earlier ones are gone
     */
    record Monitor(SnapshotHistory history, boolean restarted) {
    }

    /**
     * The live monitor's history at the step: the parent's own, else rebuilt from its parameter files, else,
     * when the step is a snapshot step, started again from the step's snapshot alone (the first window then
     * ends W snapshots later).
     *
     * @throws ConfigException naming the snapshot steps without a parameter file if it cannot start at all
     */
    Monitor monitor(SpectrumGroup group) {
        int capacity = experiment.spectrum().window() + experiment.spectrum().stride();
        Path kept = CheckpointFiles.monitor(parent, step);
        if (Files.isRegularFile(kept)) {
            return new Monitor(SnapshotHistory.read(kept, capacity, group.dimension()), false);
        }
        long every = experiment.spectrum().every();
        long taken = step / every + 1;
        List<Long> steps = new ArrayList<>();
        for (long s = (taken - Math.min(taken, capacity)) * every; s <= step; s += every) {
            steps.add(s);
        }
        List<Long> missing = steps.stream().filter(s -> !Files.isRegularFile(parent.checkpoint(s))).toList();
        if (missing.isEmpty()) {
            List<Kept> held = new ArrayList<>();
            for (long s : steps) {
                held.add(new Kept(s, groupValues(CheckpointFiles.parameters(parent, s), group), Double.NaN));
            }
            return new Monitor(new SnapshotHistory(taken, held), false);
        }
        if (step % every == 0) {
            Kept start = new Kept(step, groupValues(CheckpointFiles.parameters(parent, step), group), Double.NaN);
            return new Monitor(new SnapshotHistory(1, List.of(start)), true);
        }
        List<Long> held = parent.checkpointSteps().stream()
                .filter(s -> Files.isRegularFile(CheckpointFiles.monitor(parent, s))).toList();
        throw new ConfigException("to continue the live spectrum from step " + step + ", the fork needs the"
                + " spectrum group at the snapshot steps " + listed(steps) + ", and " + parent.root()
                + " has no checkpoint at " + listed(missing) + "; step " + step + " is no snapshot step (spectrum.every"
                + " = " + every + ") to start it again from. Fork at " + (held.isEmpty() ? "its last checkpoint"
                : "step " + held.stream().map(String::valueOf).collect(Collectors.joining(" or ")))
                + ", at a checkpoint that is a multiple of " + every + ", or from a run with train.checkpoint-every ="
                + " spectrum.every");
    }

    /** Steps for a message: all of them when few, else the first two and the last. */
    private static String listed(List<Long> steps) {
        return steps.size() <= 6 ? steps.toString()
                : "[" + steps.get(0) + ", " + steps.get(1) + ", …, " + steps.getLast() + "] (" + steps.size() + ")";
    }

    /** The group's values in a parameter file: its members flattened and concatenated in group order. */
    private static float[] groupValues(Path file, SpectrumGroup group) {
        Map<String, Tensor> tensors = CheckpointFiles.read(file).tensors().stream()
                .collect(Collectors.toMap(t -> t.info().name(), Function.identity()));
        float[] theta = new float[group.dimension()];
        int offset = 0;
        for (TensorInfo member : group.members()) {
            Tensor t = tensors.get(member.name());
            if (t == null || !t.info().shape().equals(member.shape())) {
                throw new DataFormatException("checkpoint " + file + " has no tensor " + member);
            }
            float[] values = t.floats();
            System.arraycopy(values, 0, theta, offset, values.length);
            offset += values.length;
        }
        return theta;
    }

    /**
     * Fills {@code target} with the parent's history up to the step: its checkpoint files, the monitor's
     * {@code history} (null without a live monitor), metrics.csv and spectrum.csv cut after the step. The
     * caller writes run.json after this, so a fork stopped while copying leaves a folder that is not a run.
     */
    void copyPrefix(RunLayout target, SnapshotHistory history) {
        for (long s : parent.checkpointSteps()) {
            if (s > step) {
                continue;
            }
            for (Path file : List.of(CheckpointFiles.state(parent, s), parent.decayPart(s),
                    CheckpointFiles.parameters(parent, s))) {
                if (Files.isRegularFile(file)) {
                    link(file, target.root().resolve(parent.root().relativize(file)));
                }
            }
        }
        if (history != null) {
            history.write(CheckpointFiles.monitor(target, step), step);
        }
        for (Path csv : List.of(parent.metrics(), parent.spectrum())) {
            if (Files.isRegularFile(csv)) {
                AtomicFile.writeString(target.root().resolve(csv.getFileName()), rowsUpTo(csv, step));
            }
        }
    }

    /** A hard link at {@code link} to {@code file} (checkpoint files are never rewritten), else a copy. */
    private static void link(Path file, Path link) {
        try {
            Files.createDirectories(link.getParent());
            try {
                Files.createLink(link, file);
            } catch (UnsupportedOperationException | IOException notHere) {
                Files.copy(file, link, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + file + " to " + link + ": " + e.getMessage(), e);
        }
    }

    /** The header and the rows of a CSV whose step (first column) is at most {@code last}. */
    private static String rowsUpTo(Path csv, long last) {
        try {
            List<String> lines = Files.readAllLines(csv);
            StringBuilder kept = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int comma = line.indexOf(',');
                if (i == 0 || (!line.isEmpty() && Long.parseLong(comma < 0 ? line : line.substring(0, comma)) <= last)) {
                    kept.append(line).append('\n');
                }
            }
            return kept.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new DataFormatException(csv + " has a row whose first column is not a step: " + e.getMessage());
        }
    }
}
