package dev.sedge.tasks;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.task.Head;
import dev.sedge.api.task.InputDomain;
import dev.sedge.api.task.TargetSpec;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import java.util.Arrays;
import java.util.List;

/**
 * {@code scan}: SCAN's commands to action sequences (Lake and Baroni 2018), a sample of the simple
 * split (docs/tasks.md).
 *
 * <p>The data are generated from SCAN's grammar ({@link ScanGrammar}), not read from the published
 * files: all 20,910 commands, shuffled (Fisher–Yates, {@link java.util.SplittableRandom} seeded with
 * {@code data-seed}, or the task seed when it is −1) from the grammar's fixed order; the first
 * {@value #SIMPLE_TRAIN} are the simple split's training pool and the other {@value #SIMPLE_TEST} its
 * test pool (80 / 20, the published split's sizes, but not its membership). The task's training
 * set is the first train-size commands of the training pool in that order, its test set the first
 * test-size of the test pool. Inputs are the chosen commands in the grammar's order.
 *
 * <p>Inputs: the command's words as tokens ({@value #PAD} PAD, then {@link ScanGrammar#WORDS} as
 * 1 … 13), padded with PAD to {@value #MAX_WORDS}. Targets ({@link TargetSpec.Decoded}, one head
 * {@code scan} of 8 classes): the actions as {@link ScanGrammar#ACTIONS} 0 … 5, then EOS
 * ({@value #EOS}), then IGNORE to {@value #TARGET_LENGTH}; BOS is {@value #BOS}. Sequence accuracy:
 * a command is right when its whole decoded action sequence, end included, is.
 *
 * <p>Coordinates: {@code command}, the command's index in the grammar's order (mod 20,910);
 * {@code words} (mod 10) and {@code actions} (mod 49), its lengths; {@code conjunction}, 0 for a
 * single S, 1 for "and", 2 for "after" (mod 3). Stateless and thread-safe.
 */
public final class ScanTask implements Task {

    static final int COMMANDS = 20_910;
    static final int SIMPLE_TRAIN = 16_728;
    static final int SIMPLE_TEST = 4_182;
    static final int MAX_WORDS = 9;
    static final int MAX_ACTIONS = 48;
    static final int PAD = 0;
    static final int BOS = 6;
    static final int EOS = 7;
    static final int TARGET_LENGTH = MAX_ACTIONS + 1;

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "SCAN: commands to action sequences, a sample of the simple split (generated from the grammar)",
            ConfigKey.ofInt("train-size", 2048, "training commands, drawn from the simple split's 16728-command "
                    + "training pool"),
            ConfigKey.ofInt("test-size", 500, "test commands, drawn from the simple split's 4182-command test pool"),
            ConfigKey.ofLong("data-seed", 0, "seed of the simple split and of the draw, the same for every run "
                    + "seed; -1 takes the run's task seed instead"));

    /** The parsed configuration; the compact constructor is the only validator. */
    record Config(int trainSize, int testSize, long dataSeed) {
        Config {
            if (trainSize < 1 || trainSize > SIMPLE_TRAIN) {
                throw new IllegalArgumentException("train-size must be in [1, " + SIMPLE_TRAIN
                        + "], the simple split's training pool; found " + trainSize);
            }
            if (testSize < 1 || testSize > SIMPLE_TEST) {
                throw new IllegalArgumentException("test-size must be in [1, " + SIMPLE_TEST
                        + "], the simple split's test pool; found " + testSize);
            }
            if (dataSeed < -1) {
                throw new IllegalArgumentException("data-seed must be >= 0, or -1 for the run's seed, found "
                        + dataSeed);
            }
        }
    }

    /** For {@link java.util.ServiceLoader}. */
    public ScanTask() {
    }

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * The simple split of all commands under {@code dataSeed}: indices into
     * {@link ScanGrammar#commands()}, the training pool ({@value #SIMPLE_TRAIN}) then the test pool
     * ({@value #SIMPLE_TEST}), each in draw order.
     */
    static int[] simpleSplit(long dataSeed) {
        return ModularTask.shuffled(COMMANDS, dataSeed);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException for a size outside its pool or a data seed below −1
     */
    @Override
    public TaskData create(PluginConfig config, long seed) {
        Config c = new Config(config.intValue("train-size"), config.intValue("test-size"),
                config.longValue("data-seed"));
        int[] order = simpleSplit(c.dataSeed() == -1 ? seed : c.dataSeed());
        int[] trainCommands = Arrays.copyOfRange(order, 0, c.trainSize());
        int[] testCommands = Arrays.copyOfRange(order, SIMPLE_TRAIN, SIMPLE_TRAIN + c.testSize());
        int n = trainCommands.length + testCommands.length;
        int[] chosen = new int[n];
        System.arraycopy(trainCommands, 0, chosen, 0, trainCommands.length);
        System.arraycopy(testCommands, 0, chosen, trainCommands.length, testCommands.length);
        Arrays.sort(chosen);
        Arrays.sort(trainCommands);

        List<String> all = ScanGrammar.commands();
        int[] tokens = new int[n * MAX_WORDS];
        int[] targets = new int[n * TARGET_LENGTH];
        int[] words = new int[n];
        int[] actions = new int[n];
        int[] conjunction = new int[n];
        int[] train = new int[trainCommands.length];
        int[] test = new int[testCommands.length];
        Arrays.fill(targets, TaskData.IGNORE);
        for (int i = 0, tr = 0, te = 0; i < n; i++) {
            String command = all.get(chosen[i]);
            String[] w = command.split(" ");
            for (int k = 0; k < w.length; k++) {
                tokens[i * MAX_WORDS + k] = ScanGrammar.WORDS.indexOf(w[k]) + 1;
            }
            String[] a = ScanGrammar.interpret(command).split(" ");
            for (int k = 0; k < a.length; k++) {
                targets[i * TARGET_LENGTH + k] = ScanGrammar.ACTIONS.indexOf(a[k]);
            }
            targets[i * TARGET_LENGTH + a.length] = EOS;
            words[i] = w.length;
            actions[i] = a.length;
            conjunction[i] = command.contains(" and ") ? 1 : command.contains(" after ") ? 2 : 0;
            if (Arrays.binarySearch(trainCommands, chosen[i]) >= 0) {
                train[tr++] = i;
            } else {
                test[te++] = i;
            }
        }
        InputDomain domain = InputDomain.builder(n)
                .coordinate("command", COMMANDS, chosen)
                .coordinate("words", MAX_WORDS + 1, words)
                .coordinate("actions", MAX_ACTIONS + 1, actions)
                .coordinate("conjunction", 3, conjunction)
                .build();
        String description = "SCAN simple split (generated; "
                + (c.dataSeed() == -1 ? "the run's seed" : "data seed " + c.dataSeed()) + "), " + c.trainSize()
                + " train / " + c.testSize() + " test commands";
        return new TaskData(description, domain, MAX_WORDS, ScanGrammar.WORDS.size() + 1, tokens,
                List.of(new Head(name(), ScanGrammar.ACTIONS.size() + 2)),
                new TargetSpec.Decoded(TARGET_LENGTH, PAD, BOS, EOS), new int[][] {targets}, train, test);
    }
}
