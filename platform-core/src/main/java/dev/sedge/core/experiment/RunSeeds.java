package dev.sedge.core.experiment;

import java.util.SplittableRandom;

/**
 * The random streams of one run, all derived from the run seed (docs/architecture.md, "Rules the code keeps"), so
 * that the same configuration and seed replay the same run bit for bit, and a resumed run replays the rest.
 *
 * <p>Derivation: a {@link SplittableRandom} seeded with the run seed draws, in this fixed order,
 * {@link #task} ({@code nextLong}), {@link #init} ({@code nextInt}), {@link #sampling}
 * ({@code nextLong}) and {@link #steps} ({@code nextLong}). A component added later draws after
 * these, so existing runs keep their streams. Per-step streams are not continued from step to step
 * but re-derived from the step number ({@link #sampling(long)}, {@link #torchSeed(long)}), so a run
 * resumed at step c needs no random-generator state from the checkpoint.
 *
 * @param task     the seed given to {@code Task.create}: the data and the train/test split
 * @param init     the engine seed ({@code Engine.setRandomSeed}) set right before the block is
 *                 initialised: the initial weights
 * @param sampling the root of the minibatch streams; step t samples with {@link #sampling(long)}
 * @param steps    the root of the engine seeds set before each step's forward pass (dropout and any
 *                 other random operation of the model); step t uses {@link #torchSeed(long)}
 */
public record RunSeeds(long task, int init, long sampling, long steps) {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** The streams of run seed {@code seed}. */
    public static RunSeeds of(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        long task = root.nextLong();
        int init = root.nextInt();
        long sampling = root.nextLong();
        long steps = root.nextLong();
        return new RunSeeds(task, init, sampling, steps);
    }

    /** The generator that draws step {@code step}'s minibatch indices (a new one per call). */
    public SplittableRandom sampling(long step) {
        return new SplittableRandom(mix(sampling, step));
    }

    /** The engine seed set before step {@code step}'s forward pass. */
    public int torchSeed(long step) {
        return (int) mix(steps, step);
    }

    /** SplitMix64's finaliser over {@code base + step·γ}: well-spread seeds for consecutive steps. */
    static long mix(long base, long step) {
        long z = base + step * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
