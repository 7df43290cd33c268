package dev.sedge.core.sweep;

import dev.sedge.api.ConfigException;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.experiment.Experiment;
import dev.sedge.core.plugin.PluginRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.SequencedSet;
import java.util.stream.Collectors;

/**
 * A sweep expanded into conditions and runs, every run's configuration resolved against the plugins
 * before anything starts: an unknown key, plugin or bad value in any condition is a
 * {@link ConfigException} naming the condition. Immutable.
 *
 * @param spec       what was asked
 * @param out        the sweep folder
 * @param factors    the keys that tell conditions apart: those set by explicit conditions, then the
 *                   grid's, in spec order, except those the overrides set everywhere; copied
 * @param conditions in order: explicit conditions in spec order, each times the grid points (the last
 *                   grid key varying fastest); copied
 * @param runs       condition-major, then seed; copied
 */
public record SweepPlan(SweepSpec spec, Path out, List<String> factors, List<Condition> conditions,
                        List<PlannedRun> runs) {

    public SweepPlan {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(out, "out");
        factors = List.copyOf(factors);
        conditions = List.copyOf(conditions);
        runs = List.copyOf(runs);
    }

    /**
     * Expands and checks {@code spec}.
     *
     * @param out the sweep folder; nothing is read or written here
     * @throws ConfigException for a configuration any run cannot resolve, a control or group key that
     *         is not a configuration key, or two conditions with the same folder name
     */
    public static SweepPlan of(SweepSpec spec, Path out, PluginRegistry registry) {
        SequencedSet<String> factors = new LinkedHashSet<>();
        spec.conditions().forEach(c -> factors.addAll(c.set().keySet()));
        factors.addAll(spec.grid().keySet());
        factors.removeAll(spec.overrides().keySet()); // the same in every condition
        List<ConditionSpec> explicit = spec.conditions().isEmpty()
                ? Arrays.asList((ConditionSpec) null) : spec.conditions();
        List<Condition> conditions = new ArrayList<>();
        List<PlannedRun> runs = new ArrayList<>();
        Map<String, String> slugs = new HashMap<>();
        for (ConditionSpec named : explicit) {
            for (SequencedMap<String, String> point : gridPoints(spec.grid())) {
                String slug = Slugs.of(named == null ? null : named.name(), List.copyOf(spec.grid().keySet()), point);
                String previous = slugs.put(slug.toLowerCase(java.util.Locale.ROOT), slug);
                if (previous != null) {
                    throw new ConfigException("two conditions of the sweep get the folder name '" + slug
                            + "'; rename an explicit condition or change the grid values");
                }
                ConfigSource layered = spec.base();
                if (named != null) {
                    layered = layered.overlaidBy(new ConfigSource(named.set()));
                }
                layered = layered.overlaidBy(new ConfigSource(point)).overlaidBy(new ConfigSource(spec.overrides()));
                Map<String, String> settings = new LinkedHashMap<>(layered.values());
                settings.remove("seed");
                addDetectors(settings, spec.detectors());
                ConfigSource source = new ConfigSource(settings);
                List<Experiment> experiments = new ArrayList<>();
                for (long seed : spec.seeds()) {
                    experiments.add(resolve(slug, seed, source, registry));
                }
                Map<String, String> effective = experiments.getFirst().effective();
                boolean control = named != null && named.control().isPresent() ? named.control().get()
                        : matchesControls(slug, effective, spec.controls());
                SequencedMap<String, String> values = new LinkedHashMap<>();
                factors.forEach(k -> values.put(k, effective.getOrDefault(k, "")));
                Condition condition = new Condition(slug, control, group(slug, effective, spec.groups()), values,
                        source);
                conditions.add(condition);
                for (int i = 0; i < spec.seeds().size(); i++) {
                    long seed = spec.seeds().get(i);
                    runs.add(new PlannedRun(condition, seed,
                            out.resolve(slug).resolve(PlannedRun.folderName(seed)), experiments.get(i)));
                }
            }
        }
        return new SweepPlan(spec, out, List.copyOf(factors), conditions, runs);
    }

    /** The run with this id ({@code x2/seed-3}). */
    public PlannedRun run(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run " + id + " in this sweep"));
    }

    /** {@code OUT/<condition>/condition.json}. */
    public Path conditionFile(Condition condition) {
        return out.resolve(condition.slug()).resolve("condition.json");
    }

    private static Experiment resolve(String slug, long seed, ConfigSource source, PluginRegistry registry) {
        try {
            return Experiment.resolve(source.with(List.of("seed=" + seed)), registry);
        } catch (ConfigException e) {
            throw new ConfigException("sweep condition '" + slug + "' (seed " + seed + "): " + e.getMessage(), e);
        }
    }

    /** Adds every evaluated detector to the {@code detectors} list when missing (they must run live). */
    private static void addDetectors(Map<String, String> settings, List<EvaluatedDetector> detectors) {
        String listed = settings.getOrDefault("detectors", "");
        List<String> names = new ArrayList<>(Arrays.stream(listed.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList());
        detectors.forEach(d -> {
            if (!names.contains(d.name())) {
                names.add(d.name());
            }
        });
        if (!names.isEmpty()) {
            settings.put("detectors", String.join(",", names));
        }
    }

    private static List<SequencedMap<String, String>> gridPoints(SequencedMap<String, List<String>> grid) {
        List<SequencedMap<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : grid.entrySet()) {
            List<SequencedMap<String, String>> next = new ArrayList<>();
            for (SequencedMap<String, String> point : points) {
                for (String value : axis.getValue()) {
                    SequencedMap<String, String> p = new LinkedHashMap<>(point);
                    p.put(axis.getKey(), value);
                    next.add(p);
                }
            }
            points = next;
        }
        return points;
    }

    private static boolean matchesControls(String slug, Map<String, String> effective,
                                           Map<String, List<String>> controls) {
        for (Map.Entry<String, List<String>> rule : controls.entrySet()) {
            String value = knownKey(slug, effective, rule.getKey(), "controls");
            if (rule.getValue().stream().anyMatch(v -> sameValue(v, value))) {
                return true;
            }
        }
        return false;
    }

    private static String group(String slug, Map<String, String> effective, List<String> keys) {
        if (keys.isEmpty()) {
            return "all";
        }
        return keys.stream().map(k -> k + "=" + knownKey(slug, effective, k, "groups"))
                .collect(Collectors.joining(","));
    }

    private static String knownKey(String slug, Map<String, String> effective, String key, String where) {
        String value = effective.get(key);
        if (value == null) {
            throw new ConfigException("sweep spec '" + where + "' names '" + key + "', which is not a configuration key"
                    + " of condition '" + slug + "'; its keys: " + String.join(", ", effective.keySet()));
        }
        return value;
    }

    /** Equal as numbers when both are numbers ({@code 0} and {@code 0.0}), else as text ignoring case. */
    static boolean sameValue(String a, String b) {
        try {
            return new BigDecimal(a.strip()).compareTo(new BigDecimal(b.strip())) == 0;
        } catch (NumberFormatException e) {
            return a.strip().equalsIgnoreCase(b.strip());
        }
    }
}
