package dev.sedge.tasks;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.task.Head;
import dev.sedge.api.task.InputDomain;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Modular arithmetic over Z_p: every pair (a, b) (pairs with a zero left out for mul and div),
 * tokens [a, b] over a vocabulary of p, label op(a, b). Coordinates for the bases: {@code a},
 * {@code b} and the output {@code y}, each mod p.
 *
 * <p>The split: the inputs are shuffled by a Fisher–Yates shuffle driven by
 * {@link SplittableRandom} seeded with the task seed; the first {@code train-size} (or
 * round(train-fraction · n)) are the training set, the rest the test set.
 */
abstract class ModularTask implements Task {

    private final ModularOperation operation;
    private final PluginDescriptor descriptor;

    ModularTask(ModularOperation operation) {
        this.operation = operation;
        this.descriptor = PluginDescriptor.of("modular arithmetic: " + operation.formula(),
                ConfigKey.ofInt("p", 97, "the modulus; a prime"),
                ConfigKey.ofDouble("train-fraction", 0.5, "share of all pairs used for training, in (0, 1)"),
                ConfigKey.ofInt("train-size", 0, "number of training pairs; overrides train-fraction when > 0"));
    }

    /** The parsed configuration; the compact constructor is the only validator. */
    record Config(int p, double trainFraction, int trainSize) {
        Config {
            if (p < 2 || p > 46_340 || !isPrime(p)) {
                throw new IllegalArgumentException("p must be a prime in [2, 46340], found " + p);
            }
            if (!(trainFraction > 0 && trainFraction < 1)) {
                throw new IllegalArgumentException("train-fraction must be in (0, 1), found " + trainFraction);
            }
            if (trainSize < 0) {
                throw new IllegalArgumentException("train-size must be >= 0, found " + trainSize);
            }
        }

        static boolean isPrime(int n) {
            for (int d = 2; (long) d * d <= n; d++) {
                if (n % d == 0) {
                    return false;
                }
            }
            return n >= 2;
        }
    }

    @Override
    public final String name() {
        return operation.taskName();
    }

    @Override
    public final PluginDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final TaskData create(PluginConfig config, long seed) {
        Config c = new Config(config.intValue("p"), config.doubleValue("train-fraction"),
                config.intValue("train-size"));
        int p = c.p();
        int from = operation.nonZero() ? 1 : 0;
        int side = p - from;
        int n = side * side;
        int[] a = new int[n];
        int[] b = new int[n];
        int[] y = new int[n];
        int[] tokens = new int[2 * n];
        for (int i = 0; i < n; i++) {
            a[i] = from + i / side;
            b[i] = from + i % side;
            y[i] = operation.apply(a[i], b[i], p);
            tokens[2 * i] = a[i];
            tokens[2 * i + 1] = b[i];
        }
        int trainCount = c.trainSize() > 0 ? c.trainSize() : (int) Math.round(c.trainFraction() * n);
        if (trainCount < 1 || trainCount >= n) {
            throw config.invalid(c.trainSize() > 0 ? "train-size" : "train-fraction",
                    "leaves " + trainCount + " of " + n + " pairs for training; both train and test need at least one");
        }
        int[] order = shuffled(n, seed);
        InputDomain domain = InputDomain.builder(n)
                .coordinate("a", p, a)
                .coordinate("b", p, b)
                .coordinate("y", p, y)
                .build();
        return new TaskData(operation.formula() + " with p = " + p, domain, 2, p, tokens,
                List.of(new Head(name(), p)), new int[][] {y},
                Arrays.copyOfRange(order, 0, trainCount), Arrays.copyOfRange(order, trainCount, n));
    }

    /**
     * 0 … n−1 in the order of a Fisher–Yates shuffle driven by {@link SplittableRandom} seeded
     * with {@code seed}; the split of every modular task (and {@link MultitaskTask}) takes its
     * prefix for training.
     */
    static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
