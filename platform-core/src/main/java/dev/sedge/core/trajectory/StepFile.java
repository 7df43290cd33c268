package dev.sedge.core.trajectory;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A checkpoint file and the training step it holds, read from its name without the extension:
 * the number after the last step-like word ({@code step}, {@code epoch}, {@code iter},
 * {@code ckpt}, {@code checkpoint}, optionally followed by {@code -} or {@code _}),
 * else the last run of digits. {@code step-000000100.safetensors} is step 100,
 * {@code ckpt_epoch12.pt} step 12, {@code run3_step7.v2.npz} step 7, {@code 0042.pt} step 42.
 *
 * @param step the step number
 * @param file the checkpoint
 */
public record StepFile(long step, Path file) {

    private static final Pattern KEYWORD = Pattern.compile("(?i)(?:step|epoch|iter|ckpt|checkpoint)[-_]?(\\d+)");
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");

    /**
     * The checkpoints in {@code folder} (not its sub-folders) that some format claims, sorted by
     * step. Hidden files are skipped.
     *
     * @throws DataFormatException if the folder cannot be listed, a file in it is a link that leads
     *         outside it ({@link #requireInside}), a checkpoint name has no step number, or two files
     *         claim the same step
     */
    public static List<StepFile> list(Path folder, CheckpointFormats formats) {
        List<StepFile> steps = new ArrayList<>();
        for (Path file : files(folder, formats)) {
            steps.add(new StepFile(stepOf(file), file));
        }
        steps.sort(Comparator.comparingLong(StepFile::step));
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).step() == steps.get(i - 1).step()) {
                throw new DataFormatException("two checkpoints for step " + steps.get(i).step() + ": "
                        + steps.get(i - 1).file() + " and " + steps.get(i).file() + "; keep one per step");
            }
        }
        return steps;
    }

    /**
     * The checkpoints in {@code folder} as {@link #list(Path, CheckpointFormats)} finds them, with the steps
     * given instead of read from their names: {@code steps.get(i)} is the step of the i-th file in name order
     * (for files whose names carry no step, {@code sedge import --steps}).
     *
     * @param steps one per file, ≥ 0, increasing
     * @throws ConfigException     if there are not as many steps as files, or they are not increasing
     * @throws DataFormatException if the folder cannot be listed
     */
    public static List<StepFile> list(Path folder, CheckpointFormats formats, List<Long> steps) {
        List<Path> files = files(folder, formats);
        if (files.size() != steps.size()) {
            throw new ConfigException("--steps gives " + steps.size() + " steps for the " + files.size()
                    + " checkpoints in " + folder + " (in file-name order)");
        }
        List<StepFile> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            long step = steps.get(i);
            if (step < 0 || (i > 0 && step <= steps.get(i - 1))) {
                throw new ConfigException("--steps must be >= 0 and increasing, found " + steps);
            }
            out.add(new StepFile(step, files.get(i)));
        }
        return out;
    }

    /**
     * The files of {@code folder} (not its sub-folders, not hidden) that some format claims, in name order. Each
     * is checked to lie inside the folder ({@link #requireInside}) before anything reads it.
     */
    private static List<Path> files(Path folder, CheckpointFormats formats) {
        List<Path> children;
        try (Stream<Path> listed = Files.list(folder)) {
            children = listed.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DataFormatException("cannot list checkpoints in " + folder + ": " + e.getMessage());
        }
        children.forEach(file -> requireInside(folder, file));
        return children.stream().filter(formats::isCheckpoint).toList();
    }

    /**
     * Refuses {@code file} if it resolves outside {@code folder}: a symbolic link (or a link on its way) that leads
     * out of a checkpoint folder. A folder copied or downloaded from elsewhere could otherwise make sedge read, and
     * {@code sedge import} copy into a run, any file its user can read (docs/import.md, "Hostile files"). Links
     * that stay inside the folder are followed. Checked when the folder is listed; the folder itself may be a link.
     *
     * @throws DataFormatException naming the file, where it leads, and what to do
     */
    public static void requireInside(Path folder, Path file) {
        Path real;
        Path root;
        try {
            root = folder.toRealPath();
            real = file.toRealPath();
        } catch (IOException e) {
            throw new DataFormatException("cannot resolve " + file + ": " + e.getMessage());
        }
        if (!real.startsWith(root)) {
            throw new DataFormatException(file + " is a link to " + real + ", outside the checkpoint folder " + folder
                    + "; sedge reads only files inside a checkpoint folder, so that a folder from elsewhere cannot"
                    + " make it read other files of yours. Copy " + real + " into the folder (or remove the link),"
                    + " or give the folder it is in");
        }
    }

    /** The step number in {@code file}'s name. */
    static long stepOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String digits = lastMatch(KEYWORD, stem);
        if (digits == null) {
            digits = lastMatch(DIGITS, stem);
        }
        if (digits == null) {
            throw new DataFormatException("checkpoint " + file + " has no step number in its name; name files "
                    + "like step-100.safetensors so they can be put in order (sedge import also takes --steps)");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new DataFormatException("checkpoint " + file + ": step number " + digits + " is too large");
        }
    }

    private static String lastMatch(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}
