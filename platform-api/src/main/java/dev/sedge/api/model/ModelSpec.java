package dev.sedge.api.model;

import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * One model: its DJL block, its loss, and its named parameter groups. Not thread-safe.
 *
 * <p>Contract of {@link #block()}: input an {@code NDList} of one INT32 array
 * (batch × sequenceLength) of tokens; output an {@code NDList} of one FLOAT32 array
 * (batch × classes) per head, in head order. The block is not yet initialised; the host
 * initialises it with the run's seed before the first step.
 */
public interface ModelSpec {

    /** The network. The same instance on every call. */
    Block block();

    /** The training loss over the block's outputs and the INT32 labels (one array per head). */
    Loss loss();

    /** The groups the spectrum can be taken over; the first is the default. */
    List<ParameterGroup> groups();
}
