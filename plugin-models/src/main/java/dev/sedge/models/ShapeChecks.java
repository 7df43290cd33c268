package dev.sedge.models;

import dev.sedge.api.ConfigException;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.TargetSpec;

/**
 * What kind of task each architecture of this module trains: {@code mlp2} and {@code transformer} one
 * label per input, {@code causal-transformer} one class per input position ({@link TargetSpec.Aligned}),
 * {@code encoder-decoder} an output sequence of its own ({@link TargetSpec.Decoded}).
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
                            : "choose architecture.name = encoder-decoder, which emits an output sequence"));
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
                    + " choose architecture.name = encoder-decoder, which emits an output sequence");
        }
    }

    /**
     * @param architecture the plugin's name, for the message
     * @return the task's decoded target spec
     * @throws ConfigException unless {@code shape} has decoded targets and one head
     */
    static TargetSpec.Decoded requireDecoded(String architecture, TaskShape shape) {
        TargetSpec spec = shape.targetSpec().orElseThrow(() -> new ConfigException("architecture." + architecture
                + " emits an output sequence (seq2seq), but the task has one label per input; choose"
                + " architecture.name = transformer or mlp2"));
        if (!(spec instanceof TargetSpec.Decoded decoded)) {
            throw new ConfigException("architecture." + architecture + " emits an output sequence (seq2seq), but the"
                    + " task has a target per input position (" + describe(spec) + "); choose architecture.name ="
                    + " causal-transformer, which predicts one class per position");
        }
        if (shape.headClasses().size() != 1) {
            throw new ConfigException("architecture." + architecture + " decodes one output sequence, over one"
                    + " head's classes, but the task has " + shape.headClasses().size() + " heads");
        }
        int classes = shape.headClasses().getFirst();
        if (decoded.bos() >= classes || decoded.eos() >= classes) {
            throw new ConfigException("architecture." + architecture + ": the task's bos (" + decoded.bos()
                    + ") and eos (" + decoded.eos() + ") must be classes of its head, in [0, " + classes + ")");
        }
        return decoded;
    }

    private static String describe(TargetSpec spec) {
        return switch (spec) {
            case TargetSpec.Aligned a -> "aligned with the input, T = " + a.length();
            case TargetSpec.Decoded d -> "decoded, T = " + d.length();
        };
    }
}
