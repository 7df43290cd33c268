package dev.sedge.core.sweep;

import dev.sedge.api.ConfigException;
import dev.sedge.core.experiment.ConfigSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;

/**
 * What a sweep runs: a base configuration, conditions (explicit ones, times a grid), seeds, which
 * conditions are controls, how runs are grouped for the evaluation, and the detectors evaluated.
 * Read from JSON by {@link #read} (format: docs/reproductions.md, "Sweep spec"). Immutable.
 *
 * <p>A condition's configuration is {@code base}, then its explicit {@code set}, then its grid
 * values, then the {@code overrides} (the command line's {@code --set}), then {@code seed} = each seed. Conditions are the explicit ones times the cartesian product
 * of the grid (explicit ones alone without a grid, grid points alone without explicit ones, one
 * condition {@code base} with neither).
 *
 * @param base       the configuration every condition starts from: the spec's {@code base} (a file or
 *                   an inline object, else the built-in default experiment) with its {@code set} applied
 * @param conditions explicit conditions, in order; names unique; copied
 * @param grid       config key to its values, in spec order; each list non-empty and duplicate-free; copied
 * @param seeds      run seeds, in order, distinct, ≥ 0, at least one; copied
 * @param controls   the control rule: a condition is a control when, for any of these keys, its
 *                   effective value is one of the listed values (numbers compared as numbers); an
 *                   explicit condition's own {@code control} flag overrides it; copied
 * @param groups     config keys whose values group runs for the evaluation ({@code architecture.activation}:
 *                   x² runs are compared with x² controls); empty to evaluate all runs together; copied
 * @param detectors  the detectors evaluated, each added to every condition's {@code detectors} when
 *                   missing; names unique; copied
 * @param overrides  keys set in every condition, over its own and the base's ({@code --set}); never a
 *                   grid key or {@code seed}; copied
 */
public record SweepSpec(ConfigSource base, List<ConditionSpec> conditions, SequencedMap<String, List<String>> grid,
                        List<Long> seeds, Map<String, List<String>> controls, List<String> groups,
                        List<EvaluatedDetector> detectors, SequencedMap<String, String> overrides) {

    public SweepSpec {
        Objects.requireNonNull(base, "base");
        conditions = List.copyOf(conditions);
        SequencedMap<String, List<String>> g = new LinkedHashMap<>();
        grid.forEach((k, v) -> g.put(k, List.copyOf(v)));
        grid = Collections.unmodifiableSequencedMap(g);
        seeds = List.copyOf(seeds);
        Map<String, List<String>> c = new LinkedHashMap<>();
        controls.forEach((k, v) -> c.put(k, List.copyOf(v)));
        controls = Collections.unmodifiableMap(c);
        groups = List.copyOf(groups);
        detectors = List.copyOf(detectors);
        overrides = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(overrides));
        validate(conditions, grid, seeds, groups, detectors);
        for (String key : overrides.keySet()) {
            if (key.equals("seed")) {
                throw new ConfigException("--set seed=… cannot choose a sweep's seeds; use --seeds");
            }
            if (grid.containsKey(key)) {
                throw new ConfigException("--set " + key + "=… would give every grid point the same '" + key
                        + "', which the grid varies; change the grid in the spec instead");
            }
        }
    }

    /**
     * Reads a spec file; a {@code base} path in it is relative to the file's folder.
     *
     * @throws ConfigException naming the file and the key for anything that is not a valid spec
     */
    public static SweepSpec read(Path file) {
        return SpecReader.read(file);
    }

    /**
     * Parses a spec.
     *
     * @param json       the spec's text
     * @param baseFolder where a {@code base} path is resolved
     * @param origin     for messages: the file, or {@code built-in lock-in protocol}
     */
    public static SweepSpec parse(String json, Path baseFolder, String origin) {
        return SpecReader.parse(json, baseFolder, origin);
    }

    /**
     * A protocol shipped as a resource beside {@code owner} ({@code lock-in.json}, {@code g23.json}).
     *
     * @param what for messages: {@code built-in g23 protocol}
     * @throws IllegalStateException if the resource is missing (a broken installation)
     */
    public static SweepSpec builtIn(Class<?> owner, String resource, String what) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the " + what + " " + resource + " is missing; reinstall sedge");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), Path.of("."), what);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " " + resource, e);
        }
    }

    /** This spec with other seeds. */
    public SweepSpec withSeeds(List<Long> newSeeds) {
        return new SweepSpec(base, conditions, grid, newSeeds, controls, groups, detectors, overrides);
    }

    /**
     * This spec with its first {@code count} seeds ({@code --seeds N} of {@code sedge reproduce}): a
     * published protocol's seeds cut to {@code count}, or, beyond them, extended by the integers after the
     * largest (0 … 14 becomes 0 … 19; 42, 137, 2024 becomes 42, 137, 2024, 2025).
     *
     * @throws ConfigException for a count below 1
     */
    public SweepSpec withFirstSeeds(int count) {
        if (count < 1) {
            throw new ConfigException("the number of seeds must be >= 1, found " + count);
        }
        List<Long> chosen = new ArrayList<>(seeds.subList(0, Math.min(count, seeds.size())));
        long next = seeds.stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
        while (chosen.size() < count) {
            chosen.add(next++);
        }
        return withSeeds(chosen);
    }

    /** Seeds 0 … count − 1. */
    public static List<Long> firstSeeds(int count) {
        if (count < 1) {
            throw new ConfigException("the number of seeds must be >= 1, found " + count);
        }
        List<Long> seeds = new ArrayList<>();
        for (long s = 0; s < count; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    /**
     * This spec with {@code key=value} overrides ({@code --set}) applied to every condition, after its
     * own keys; later ones win.
     *
     * @throws ConfigException for an override without {@code =}, or naming {@code seed} or a grid key
     */
    public SweepSpec withOverrides(List<String> more) {
        SequencedMap<String, String> merged = new LinkedHashMap<>(overrides);
        merged.putAll(new ConfigSource(Map.of()).with(more).values());
        return new SweepSpec(base, conditions, grid, seeds, controls, groups, detectors, merged);
    }

    /**
     * This spec with only the named explicit conditions, in the spec's order.
     *
     * @throws ConfigException for a name that is not an explicit condition, listing the names
     */
    public SweepSpec withConditions(List<String> names) {
        List<String> known = conditions.stream().map(ConditionSpec::name).toList();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new ConfigException("no condition '" + name + "' in this sweep; conditions: "
                        + String.join(", ", known));
            }
        }
        return new SweepSpec(base, conditions.stream().filter(c -> names.contains(c.name())).toList(), grid, seeds,
                controls, groups, detectors, overrides);
    }

    private static void validate(List<ConditionSpec> conditions, Map<String, List<String>> grid, List<Long> seeds,
                                 List<String> groups, List<EvaluatedDetector> detectors) {
        Set<String> names = new HashSet<>();
        for (ConditionSpec c : conditions) {
            if (!names.add(c.name())) {
                throw new ConfigException("sweep condition '" + c.name() + "' is named twice; give each a unique name");
            }
            if (c.set().containsKey("seed")) {
                throw new ConfigException("sweep condition '" + c.name() + "' sets 'seed'; list seeds in 'seeds' instead");
            }
            for (String key : c.set().keySet()) {
                if (grid.containsKey(key)) {
                    throw new ConfigException("'" + key + "' is set both by condition '" + c.name()
                            + "' and by the grid; set it in one place");
                }
            }
        }
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {
            if (e.getKey().equals("seed")) {
                throw new ConfigException("the grid varies 'seed'; list seeds in 'seeds' instead");
            }
            if (e.getValue().isEmpty()) {
                throw new ConfigException("grid key '" + e.getKey() + "' lists no value; give at least one");
            }
            if (new HashSet<>(e.getValue()).size() != e.getValue().size()) {
                throw new ConfigException("grid key '" + e.getKey() + "' lists a value twice: " + e.getValue());
            }
        }
        if (seeds.isEmpty()) {
            throw new ConfigException("a sweep needs at least one seed");
        }
        if (seeds.stream().anyMatch(s -> s < 0) || new HashSet<>(seeds).size() != seeds.size()) {
            throw new ConfigException("seeds must be distinct and >= 0, found " + seeds);
        }
        if (new HashSet<>(groups).size() != groups.size()) {
            throw new ConfigException("'groups' lists a key twice: " + groups);
        }
        Set<String> detectorNames = new HashSet<>();
        for (EvaluatedDetector d : detectors) {
            if (!detectorNames.add(d.name())) {
                throw new ConfigException("detector '" + d.name() + "' is evaluated twice; list it once");
            }
        }
    }
}
