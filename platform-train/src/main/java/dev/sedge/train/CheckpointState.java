package dev.sedge.train;

import dev.sedge.api.checkpoint.Tensor;
import java.util.List;

/**
 * Everything the trainer needs to resume from one step, as plain tensors (copied off the engine).
 *
 * @param step       the step the state is after
 * @param parameters every parameter, F32, in checkpoint order; copied
 * @param optimizer  the optimizer's {@code OptimizerRun.state()}, its own names; copied
 * @param decay      the weight-decay part of the spectrum group's change accumulated since the last
 *                   snapshot, one F32 tensor per group member named like it; copied
 * @param interval   the weight-decay part of the spectrum group's change since the previous checkpoint
 *                   (Δθ_wd of the interval, exactly as the optimizer split it), one F32 tensor per group
 *                   member named like it; empty when the run does not record it; copied
 */
public record CheckpointState(long step, List<Tensor> parameters, List<Tensor> optimizer, List<Tensor> decay,
                              List<Tensor> interval) {

    public CheckpointState {
        parameters = List.copyOf(parameters);
        optimizer = List.copyOf(optimizer);
        decay = List.copyOf(decay);
        interval = List.copyOf(interval);
    }
}
