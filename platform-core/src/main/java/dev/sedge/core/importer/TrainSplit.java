package dev.sedge.core.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.run.RunLayout;
import dev.sedge.core.run.VersionedJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;

/**
 * The inputs an imported run's model was trained on ({@code sedge import --train}), kept in the run as
 * {@code split.json}: {@code {"format_version": 1, "train": [input indices, ascending]}}. The test split is
 * every other input of the task, so the ablation and the perturbation curves of an imported run read the
 * inputs its model never saw, as for a run sedge trained. Indices are in the task's input order (for the
 * modular tasks, a·p + b).
 *
 * @param train input indices, ascending, unique
 */
public record TrainSplit(int[] train) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The format of {@code split.json} this build writes. */
    public static final int FORMAT_VERSION = 1;

    /**
     * The indices of {@code file}, a JSON array of integers, checked against the task's inputs.
     *
     * @throws ConfigException naming the file for anything but a non-empty array of distinct indices in
     *                         [0, n) that leaves at least one input for the test split
     */
    static TrainSplit parse(Path file, TaskData data) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("--train " + file + " is not readable JSON: " + e.getMessage());
        }
        int n = data.size();
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new ConfigException("--train " + file + " must hold a JSON array of the input indices the model"
                    + " trained on, in the task's input order (0 to " + (n - 1) + ")");
        }
        BitSet seen = new BitSet(n);
        int[] train = new int[root.size()];
        for (int i = 0; i < train.length; i++) {
            JsonNode v = root.get(i);
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() >= n) {
                throw new ConfigException("--train " + file + ": element " + i + " is " + v + ", not an input index of"
                        + " the task (0 to " + (n - 1) + ")");
            }
            if (seen.get(v.asInt())) {
                throw new ConfigException("--train " + file + ": input " + v.asInt() + " appears twice");
            }
            seen.set(v.asInt());
            train[i] = v.asInt();
        }
        if (train.length == n) {
            throw new ConfigException("--train " + file + " names every input of the task: nothing is left to test on");
        }
        Arrays.sort(train);
        return new TrainSplit(train);
    }

    /** The split stored in an imported run, if it was imported with one. */
    public static Optional<TrainSplit> read(RunLayout run) {
        Path file = run.split();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root = VersionedJson.read(file, "an imported run's train split", FORMAT_VERSION);
        JsonNode train = root.path("train");
        if (!train.isArray()) {
            throw new DataFormatException(file + " has no 'train' array; import the run again");
        }
        return Optional.of(new TrainSplit(train.valueStream().mapToInt(JsonNode::asInt).toArray()));
    }

    void write(RunLayout run) {
        ObjectNode root = VersionedJson.object(FORMAT_VERSION);
        ArrayNode array = root.putArray("train");
        Arrays.stream(train).forEach(array::add);
        VersionedJson.write(run.split(), root);
    }

    /**
     * {@code data} with this train split and every other input as its test split.
     *
     * @throws DataFormatException if an index is outside the task's inputs (the task's settings changed)
     */
    public TaskData applyTo(TaskData data, Path where) {
        if (data.targetSpec().isPresent()) {
            throw new ConfigException(data.description() + " is a sequence task (a target per position, docs/tasks.md);"
                    + " sedge cannot import a run of one yet");
        }
        int n = data.size();
        BitSet inTrain = new BitSet(n);
        for (int i : train) {
            if (i < 0 || i >= n) {
                throw new DataFormatException(where + ": input " + i + " of the train split is outside the task's " + n
                        + " inputs");
            }
            inTrain.set(i);
        }
        int[] test = new int[n - inTrain.cardinality()];
        for (int i = 0, t = 0; i < n; i++) {
            if (!inTrain.get(i)) {
                test[t++] = i;
            }
        }
        int[][] labels = new int[data.heads().size()][];
        for (int h = 0; h < labels.length; h++) {
            labels[h] = data.labels(h);
        }
        return new TaskData(data.description(), data.domain(), data.sequenceLength(), data.vocabularySize(),
                data.tokens(), data.heads(), labels, train, test);
    }
}
