package dev.sedge.tasks;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.task.Head;
import dev.sedge.api.task.InputDomain;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code dyck1-depth}: balanced strings of one bracket type, labelled with the depth after every
 * token (the Lifecycle paper's Dyck-1 task; docs/tasks.md).
 *
 * <p>A string: its number of pairs k drawn uniformly from [1, max-pairs]; then, token by token, an
 * open bracket when the depth is 0, a close bracket when all k have been opened, and otherwise an
 * open bracket with probability p-open. Tokens: {@value #PAD} PAD, {@value #OPEN} "(", {@value #CLOSE}
 * ")", the string then PAD up to {@code length}. Targets ({@link TargetSpec.Aligned}, one head
 * {@code dyck1-depth} of max-pairs + 1 classes): the depth after each token, IGNORE at PAD.
 *
 * <p>The draw, from one {@link SplittableRandom} seeded with {@code data-seed} (or the task seed when it
 * is −1): first train-size <em>distinct</em> strings (a repeat is drawn again), then test-size strings
 * none of which is a training string (one is drawn again); test strings may repeat one another, so the
 * test set keeps the generator's distribution, less the training strings. Inputs are the training
 * strings then the test strings, in draw order.
 *
 * <p>Coordinates, per string (modulus max-pairs + 1 each): {@code depth}, its maximum depth;
 * {@code pairs}, k; and its depth profile {@code depth-0} … {@code depth-<length−1>}, the depth after
 * token t (0 at PAD, where the string has closed). Stateless and thread-safe.
 */
public final class Dyck1DepthTask implements Task {

    static final int PAD = 0;
    static final int OPEN = 1;
    static final int CLOSE = 2;

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "Dyck-1: the depth after every token of a balanced bracket string",
            ConfigKey.ofInt("max-pairs", 12, "the most bracket pairs in a string; each has 1 to max-pairs, uniformly"),
            ConfigKey.ofDouble("p-open", 0.55, "probability of an open bracket when both are legal, in (0, 1)"),
            ConfigKey.ofInt("length", 24, "tokens per input, the string then PAD; at least 2 x max-pairs"),
            ConfigKey.ofInt("train-size", 50, "number of training strings, all distinct"),
            ConfigKey.ofInt("test-size", 5000, "number of test strings, none of them a training string"),
            ConfigKey.ofLong("data-seed", 0, "seed of the strings, the same for every run seed; -1 draws them "
                    + "from the run's task seed instead"));

    /** The parsed configuration; the compact constructor is the only validator. */
    record Config(int maxPairs, double pOpen, int length, int trainSize, int testSize, long dataSeed) {
        Config {
            if (maxPairs < 1 || maxPairs > 1000) {
                throw new IllegalArgumentException("max-pairs must be in [1, 1000], found " + maxPairs);
            }
            if (!(pOpen > 0 && pOpen < 1)) {
                throw new IllegalArgumentException("p-open must be in (0, 1), found " + pOpen);
            }
            if (length < 2 * maxPairs || length > 2000) {
                throw new IllegalArgumentException("length must hold the longest string, 2 x max-pairs = "
                        + 2 * maxPairs + ", and be at most 2000; found " + length);
            }
            if (trainSize < 1 || testSize < 1 || (long) trainSize + testSize > 1_000_000) {
                throw new IllegalArgumentException("train-size and test-size must be >= 1 and add up to at most "
                        + "1000000, found " + trainSize + " and " + testSize);
            }
            if (dataSeed < -1) {
                throw new IllegalArgumentException("data-seed must be >= 0, or -1 for the run's seed, found "
                        + dataSeed);
            }
        }
    }

    /** For {@link java.util.ServiceLoader}. */
    public Dyck1DepthTask() {
    }

    @Override
    public String name() {
        return "dyck1-depth";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a value out of range, or a train-size beyond the number of
     *                                  distinct strings (or one that leaves no string for the test set)
     */
    @Override
    public TaskData create(PluginConfig config, long seed) {
        Config c = new Config(config.intValue("max-pairs"), config.doubleValue("p-open"), config.intValue("length"),
                config.intValue("train-size"), config.intValue("test-size"), config.longValue("data-seed"));
        SplittableRandom random = new SplittableRandom(c.dataSeed() == -1 ? seed : c.dataSeed());
        int n = c.trainSize() + c.testSize();
        List<String> strings = new ArrayList<>(n);
        Set<String> train = new HashSet<>();
        // A cap on redraws: with few pairs there are few distinct strings (1 with one pair).
        long budget = 1000L * n + 1_000_000L;
        while (strings.size() < n) {
            if (--budget < 0) {
                throw new IllegalArgumentException("could not draw " + c.trainSize() + " distinct training strings"
                        + " and " + c.testSize() + " test strings outside them with max-pairs " + c.maxPairs()
                        + "; lower train-size or raise max-pairs");
            }
            String s = draw(random, c.maxPairs(), c.pOpen());
            boolean forTrain = strings.size() < c.trainSize();
            if (forTrain ? train.add(s) : !train.contains(s)) {
                strings.add(s);
            }
        }
        return data(c, strings);
    }

    /** One balanced string of '(' and ')', as the class comment says. */
    static String draw(SplittableRandom random, int maxPairs, double pOpen) {
        int pairs = 1 + random.nextInt(maxPairs);
        StringBuilder s = new StringBuilder(2 * pairs);
        int opened = 0;
        int depth = 0;
        while (s.length() < 2 * pairs) {
            boolean open = depth == 0 || (opened < pairs && random.nextDouble() < pOpen);
            s.append(open ? '(' : ')');
            opened += open ? 1 : 0;
            depth += open ? 1 : -1;
        }
        return s.toString();
    }

    private TaskData data(Config c, List<String> strings) {
        int n = strings.size();
        int length = c.length();
        int classes = c.maxPairs() + 1;
        int[] tokens = new int[n * length];
        int[] targets = new int[n * length];
        int[][] profile = new int[length][n];
        int[] maxDepth = new int[n];
        int[] pairs = new int[n];
        Arrays.fill(targets, TaskData.IGNORE);
        for (int i = 0; i < n; i++) {
            String s = strings.get(i);
            int depth = 0;
            for (int t = 0; t < s.length(); t++) {
                boolean open = s.charAt(t) == '(';
                depth += open ? 1 : -1;
                tokens[i * length + t] = open ? OPEN : CLOSE;
                targets[i * length + t] = depth;
                profile[t][i] = depth;
                maxDepth[i] = Math.max(maxDepth[i], depth);
            }
            pairs[i] = s.length() / 2;
        }
        InputDomain.Builder domain = InputDomain.builder(n).coordinate("depth", classes, maxDepth)
                .coordinate("pairs", classes, pairs);
        for (int t = 0; t < length; t++) {
            domain.coordinate("depth-" + t, classes, profile[t]);
        }
        String description = "Dyck-1 depth, 1-" + c.maxPairs() + " pairs, p(open) " + c.pOpen() + ", length "
                + length;
        return new TaskData(description, domain.build(), length, 3, tokens, List.of(new Head(name(), classes)),
                new TargetSpec.Aligned(length, PAD), new int[][] {targets}, IntStream.range(0, c.trainSize()).toArray(),
                IntStream.range(c.trainSize(), n).toArray());
    }
}
