package org.example.cubes;

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

/** (a³ + b³) mod p over every pair (a, b), split at random by the task seed. */
public final class CubesTask implements Task {

    private static final PluginDescriptor DESCRIPTOR = PluginDescriptor.of("(a^3 + b^3) mod p",
            ConfigKey.ofInt("p", 97, "the modulus"),
            ConfigKey.ofDouble("train-fraction", 0.5, "share of pairs used for training, in (0, 1)"));

    @Override
    public String name() {
        return "mod-cubes";
    }

    @Override
    public PluginDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public TaskData create(PluginConfig config, long seed) {
        int p = config.intValue("p");
        double fraction = config.doubleValue("train-fraction");
        if (p < 2) {
            throw config.invalid("p", "the modulus must be at least 2");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw config.invalid("train-fraction", "expected a share in (0, 1)");
        }
        int n = p * p;
        int[] a = new int[n];
        int[] b = new int[n];
        int[] y = new int[n];
        int[] tokens = new int[2 * n];
        for (int i = 0; i < n; i++) {
            a[i] = i / p;
            b[i] = i % p;
            y[i] = (int) (((long) a[i] * a[i] % p * a[i] + (long) b[i] * b[i] % p * b[i]) % p);
            tokens[2 * i] = a[i];
            tokens[2 * i + 1] = b[i];
        }
        int[] order = new SplittableRandom(seed).ints(0, Integer.MAX_VALUE).limit(n).toArray();
        Integer[] index = new Integer[n];
        Arrays.setAll(index, i -> i);
        Arrays.sort(index, (i, j) -> Integer.compare(order[i], order[j]));
        int train = Math.max(1, Math.min(n - 1, (int) Math.round(fraction * n)));
        int[] shuffled = Arrays.stream(index).mapToInt(Integer::intValue).toArray();
        InputDomain domain = InputDomain.builder(n)
                .coordinate("a", p, a).coordinate("b", p, b).coordinate("y", p, y).build();
        return new TaskData("(a^3 + b^3) mod " + p, domain, 2, p, tokens, List.of(new Head(name(), p)),
                new int[][] {y}, Arrays.copyOfRange(shuffled, 0, train), Arrays.copyOfRange(shuffled, train, n));
    }
}
