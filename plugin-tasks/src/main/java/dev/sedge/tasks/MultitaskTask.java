package dev.sedge.tasks;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.task.Head;
import dev.sedge.api.task.InputDomain;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code multitask}: several modular operations over one input set, one head per operation
 * (the tri-task experiment of docs/science.md, "Other experiment setups": {@code add,mul,x2y2}).
 *
 * <p>Inputs: every pair (a, b) over Z_p, in the order of {@link ModularTask}; if any listed
 * operation needs non-zero operands ({@code mul}, {@code div}) pairs with a zero are left out
 * for all heads. Tokens [a, b] over a vocabulary of p. Heads, in {@code ops} order, each named
 * by its operation ({@code add}) with p classes; head h's label is op_h(a, b).
 *
 * <p>Coordinates for the bases: {@code a}, {@code b} and one output coordinate per operation,
 * {@code y_<op>} ({@code y_add}, {@code y_mul} …), each mod p.
 *
 * <p>The split is {@link ModularTask}'s (the same shuffle of the same inputs under the same
 * seed), so a multitask run trains on exactly the pairs the single tasks do with that seed, p,
 * size and zero rule.
 *
 * <p>Stateless and thread-safe.
 */
public final class MultitaskTask implements Task {

    static final String OPS = "ops";

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of(
            "several modular operations over one input set, one head per operation",
            ConfigKey.ofList(OPS, "add,mul,x2y2",
                    "operations, one head each, from: " + knownNames()),
            ConfigKey.ofInt("p", 97, "the modulus; a prime"),
            ConfigKey.ofDouble("train-fraction", 0.5, "share of all pairs used for training, in (0, 1)"),
            ConfigKey.ofInt("train-size", 0, "number of training pairs; overrides train-fraction when > 0"));

    /** For {@link java.util.ServiceLoader}. */
    public MultitaskTask() {
    }

    @Override
    public String name() {
        return "multitask";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    private static String knownNames() {
        return Arrays.stream(ModularOperation.values()).map(ModularOperation::shortName)
                .collect(Collectors.joining(", "));
    }

    /**
     * The operations of {@code names}, in order.
     *
     * @throws ConfigException for an empty list, an unknown or a repeated name, listing the known names
     */
    static List<ModularOperation> operations(PluginConfig config) {
        List<String> names = config.listValue(OPS);
        if (names.isEmpty()) {
            throw config.invalid(OPS, "list at least one operation, from: " + knownNames());
        }
        List<ModularOperation> operations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            ModularOperation op = Arrays.stream(ModularOperation.values()).filter(o -> o.shortName().equals(name))
                    .findFirst().orElseThrow(() -> config.invalid(OPS, "unknown operation '" + name
                            + "'; known operations: " + knownNames()));
            if (!seen.add(name)) {
                throw config.invalid(OPS, "operation '" + name + "' is listed twice; each head needs its own");
            }
            operations.add(op);
        }
        return operations;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConfigException          for an empty, unknown or repeated operation, or a split that
     *                                  leaves train or test empty
     * @throws IllegalArgumentException for p not prime or a train fraction out of (0, 1)
     */
    @Override
    public TaskData create(PluginConfig config, long seed) {
        List<ModularOperation> operations = operations(config);
        ModularTask.Config c = new ModularTask.Config(config.intValue("p"), config.doubleValue("train-fraction"),
                config.intValue("train-size"));
        int p = c.p();
        int from = operations.stream().anyMatch(ModularOperation::nonZero) ? 1 : 0;
        int side = p - from;
        int n = side * side;
        int[] a = new int[n];
        int[] b = new int[n];
        int[] tokens = new int[2 * n];
        int[][] labels = new int[operations.size()][n];
        for (int i = 0; i < n; i++) {
            a[i] = from + i / side;
            b[i] = from + i % side;
            tokens[2 * i] = a[i];
            tokens[2 * i + 1] = b[i];
            for (int h = 0; h < operations.size(); h++) {
                labels[h][i] = operations.get(h).apply(a[i], b[i], p);
            }
        }
        int trainCount = c.trainSize() > 0 ? c.trainSize() : (int) Math.round(c.trainFraction() * n);
        if (trainCount < 1 || trainCount >= n) {
            throw config.invalid(c.trainSize() > 0 ? "train-size" : "train-fraction",
                    "leaves " + trainCount + " of " + n + " pairs for training; both train and test need at least one");
        }
        InputDomain.Builder domain = InputDomain.builder(n).coordinate("a", p, a).coordinate("b", p, b);
        List<Head> heads = new ArrayList<>();
        for (int h = 0; h < operations.size(); h++) {
            ModularOperation op = operations.get(h);
            domain.coordinate("y_" + op.shortName(), p, labels[h]);
            heads.add(new Head(op.shortName(), p));
        }
        int[] order = ModularTask.shuffled(n, seed);
        String description = operations.stream().map(ModularOperation::formula).collect(Collectors.joining("; "))
                + (from == 1 ? "; a and b non-zero for every head" : "") + "; with p = " + p;
        return new TaskData(description, domain.build(), 2, p, tokens, heads, labels,
                Arrays.copyOfRange(order, 0, trainCount), Arrays.copyOfRange(order, trainCount, n));
    }
}
