package dev.sedge.core.experiment;

import dev.sedge.api.ConfigException;
import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.plugin.PluginCall;
import dev.sedge.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A fully checked experiment: every plugin chosen and configured, the training loop and the
 * monitor set, before any work starts. Immutable.
 *
 * <p>Keys: {@code seed}; {@code task.name} and {@code task.<key>}; likewise
 * {@code architecture.*} and {@code optimizer.*}; {@code train.*} ({@link TrainSettings});
 * {@code spectrum.*} ({@link SpectrumSettings}); {@code detectors} (a list of names) and
 * {@code detector.<name>.<key>}. An unknown key is a {@link ConfigException} listing the known
 * ones.
 *
 * @param seed         the run seed
 * @param task         the task
 * @param architecture the model family
 * @param optimizer    the optimizer
 * @param detectors    the live detectors, in the order given
 * @param train        the training loop
 * @param spectrum     the live spectral monitor
 * @param effective    every key with its effective value (defaults filled in), for provenance
 */
public record Experiment(long seed, Selected<Task> task, Selected<Architecture> architecture,
                         Selected<Optimizer> optimizer, List<Selected<EdgeDetector>> detectors,
                         TrainSettings train, SpectrumSettings spectrum, Map<String, String> effective) {

    private static final Set<String> SECTIONS = Set.of("seed", "task", "architecture", "optimizer", "train",
            "spectrum", "detectors", "detector");

    public Experiment {
        detectors = List.copyOf(detectors);
        effective = Map.copyOf(new TreeMap<>(effective));
    }

    /**
     * The task's data for this experiment, made as a training run makes it: the task plugin called with
     * its configuration and the task seed of {@link RunSeeds#of(long) RunSeeds.of(seed())}, so the same
     * experiment gives the same data and split, bit for bit.
     *
     * @throws ConfigException for a task that makes no training examples
     * @throws dev.sedge.api.PluginException if the task fails otherwise
     */
    public TaskData data() {
        long taskSeed = RunSeeds.of(seed).task();
        TaskData data = PluginCall.create(task.describe("task"), () -> task.plugin().create(task.config(), taskSeed));
        if (data.train().length == 0) {
            throw new ConfigException(task.describe("task") + " made no training examples (" + data
                    + "); raise its train-size or train-fraction");
        }
        return data;
    }

    /**
     * Checks {@code source} against the registry's plugins.
     *
     * @throws ConfigException for an unknown section, key, plugin name or an out-of-range value
     */
    public static Experiment resolve(ConfigSource source, PluginRegistry registry) {
        for (String key : source.values().keySet()) {
            String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (!SECTIONS.contains(section) || (key.equals(section) && !Set.of("seed", "detectors").contains(key))) {
                throw new ConfigException("unknown configuration key '" + key + "'; keys start with one of: seed, "
                        + "task., architecture., optimizer., train., spectrum., detectors, detector.<name>.");
            }
        }
        Map<String, String> effective = new LinkedHashMap<>();
        long seed = parseSeed(source.values().getOrDefault("seed", "0"));
        effective.put("seed", Long.toString(seed));
        Selected<Task> task = select(registry, Task.class, "task", source, effective);
        Selected<Architecture> architecture = select(registry, Architecture.class, "architecture", source, effective);
        Selected<Optimizer> optimizer = select(registry, Optimizer.class, "optimizer", source, effective);
        List<Selected<EdgeDetector>> detectors = new ArrayList<>();
        List<String> names = PluginConfig.of("config", PluginDescriptor.of("detectors",
                dev.sedge.api.ConfigKey.ofList("detectors", "", "live detectors")), Map.of("detectors",
                source.values().getOrDefault("detectors", ""))).listValue("detectors");
        effective.put("detectors", String.join(",", names));
        for (String name : names) {
            EdgeDetector detector = registry.get(EdgeDetector.class, name);
            Set<String> hostMetrics = PluginCall.run("detector '" + name + "' naming its host metrics",
                    detector::hostMetrics);
            if (!hostMetrics.isEmpty()) {
                throw new ConfigException("detector " + name + " reads " + hostMetrics + " of each window, which sedge"
                        + " computes from the run's checkpoints after training, not live: leave it out of 'detectors'"
                        + " and run `sedge detect RUN -d " + name + "` on the finished run (train with"
                        + " train.checkpoint-every equal to spectrum.every so that every window has its checkpoints)");
            }
            detectors.add(new Selected<>(detector, configure("detector." + name, detector.descriptor(),
                    source.section("detector." + name), effective)));
        }
        for (String key : source.values().keySet()) {
            if (key.startsWith("detector.") && names.stream().noneMatch(n -> key.startsWith("detector." + n + "."))) {
                throw new ConfigException("'" + key + "' configures a detector that is not in 'detectors' ("
                        + String.join(",", names) + "); add it there or remove the key");
            }
        }
        TrainSettings train = build("train", TrainSettings.KEYS, source, effective, TrainSettings::of);
        SpectrumSettings spectrum = build("spectrum", SpectrumSettings.KEYS, source, effective, SpectrumSettings::of);
        return new Experiment(seed, task, architecture, optimizer, detectors, train, spectrum, effective);
    }

    /**
     * The data of a task alone, for a run sedge did not train (an imported run): {@code settings} holds
     * {@code seed} (default 0) and the {@code task.} keys, checked and completed as {@link #resolve} does,
     * and the data is made as {@link #data} makes a trained run's from the same seed.
     *
     * @param effective filled with the effective settings: {@code seed}, {@code task.name} and every task key
     * @throws ConfigException for any other key, no or an unknown task, an unknown task key or a bad value
     */
    public static TaskData taskData(Map<String, String> settings, PluginRegistry registry,
                                    Map<String, String> effective) {
        for (String key : settings.keySet()) {
            if (!key.equals("seed") && !key.startsWith("task.")) {
                throw new ConfigException("unknown key '" + key + "' for an imported run's task; it takes seed and"
                        + " task.* only");
            }
        }
        ConfigSource source = new ConfigSource(settings);
        long seed = parseSeed(settings.getOrDefault("seed", "0"));
        effective.put("seed", Long.toString(seed));
        Selected<Task> task = select(registry, Task.class, "task", source, effective);
        long taskSeed = RunSeeds.of(seed).task();
        return PluginCall.create(task.describe("task"), () -> task.plugin().create(task.config(), taskSeed));
    }

    private static long parseSeed(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("bad value for 'seed': expected an integer, found '" + text + "'");
        }
    }

    private static <T extends Plugin> Selected<T> select(PluginRegistry registry, Class<T> spi, String section,
                                                         ConfigSource source, Map<String, String> effective) {
        Map<String, String> keys = new TreeMap<>(source.section(section));
        String name = keys.remove("name");
        if (name == null) {
            throw new ConfigException("no " + section + " chosen: set '" + section + ".name'");
        }
        T plugin = registry.get(spi, name);
        effective.put(section + ".name", name);
        return new Selected<>(plugin, configure(section, plugin.descriptor(), keys, effective));
    }

    private static PluginConfig configure(String scope, PluginDescriptor descriptor, Map<String, String> keys,
                                          Map<String, String> effective) {
        PluginConfig config = PluginConfig.of(scope, descriptor, keys);
        config.values().forEach((k, v) -> effective.put(scope + "." + k,
                v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(v)));
        return config;
    }

    private static <T> T build(String section, PluginDescriptor keys, ConfigSource source,
                               Map<String, String> effective, Function<PluginConfig, T> parse) {
        PluginConfig config = configure(section, keys, source.section(section), effective);
        try {
            return parse.apply(config);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
