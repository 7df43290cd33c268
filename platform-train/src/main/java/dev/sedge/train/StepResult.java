package dev.sedge.train;

/**
 * One applied optimizer step.
 *
 * @param step         1-based
 * @param loss         the training loss of the step's batch, before the update (finite)
 * @param gradientNorm the global L2 norm of the loss gradient over every parameter, before clipping
 * @param clipped      whether the gradient was scaled down to {@code train.clip}
 */
public record StepResult(long step, double loss, double gradientNorm, boolean clipped) {
}
