package dev.sedge.models;

import dev.sedge.api.ConfigException;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TargetSpec;

/**
 * What kind of task each architecture of this module trains: {@code mlp2} and {@code transformer} one
 * label per input, {@code causal-transformer} one class per input position ({@link TargetSpec.Aligned}).
 * A mismatch is a {@link ConfigException} that says which architecture to choose instead.
 */
final class ShapeChecks {

    private ShapeChecks() {
    }

    /**
     * @param architecture the plugin's name, for the message
     * @throws ConfigException if {@code shape} is a sequence task's
     */
    static void requireLabels(String architecture, TaskShape shape) {
        shape.targetSpec().ifPresent(spec -> {
            throw new ConfigException("architecture." + architecture + " predicts one label per input, but the task"
                    + " has a target per position (" + describe(spec) + "); "
                    + (spec instanceof TargetSpec.Aligned
                            ? "choose architecture.name = causal-transformer, which predicts one class per position"
                            : "sedge has no encoder-decoder for it yet"));
        });
    }

    /**
     * @param architecture the plugin's name, for the message
     * @throws ConfigException unless {@code shape} has one target per input position
     */
    static void requireAligned(String architecture, TaskShape shape) {
        TargetSpec spec = shape.targetSpec().orElseThrow(() -> new ConfigException("architecture." + architecture
                + " predicts a class at every input position, but the task has one label per input; choose"
                + " architecture.name = transformer or mlp2"));
        if (!(spec instanceof TargetSpec.Aligned)) {
            throw new ConfigException("architecture." + architecture + " predicts a class at every input position,"
                    + " but the task's targets are an output sequence of their own (" + describe(spec) + ", seq2seq);"
                    + " that needs an encoder-decoder, which sedge does not have yet");
        }
    }

    private static String describe(TargetSpec spec) {
        return switch (spec) {
            case TargetSpec.Aligned a -> "aligned with the input, T = " + a.length();
            case TargetSpec.Decoded d -> "decoded, T = " + d.length();
        };
    }
}
