package dev.sedge.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
import dev.sedge.core.experiment.ConfigSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/**
 * Parses a sweep spec's JSON into a {@link SweepSpec}. Numbers keep the text they were written with
 * ({@code 2e-4} becomes {@code 0.0002}, never {@code 2.0E-4}), so folder names stay readable. Every
 * message names the origin and the key.
 */
final class SpecReader {

    /** The longest plain decimal a spec's number may expand to. */
    private static final int MAX_PLAIN_DIGITS = 400;

    static final Set<String> KEYS = Set.of("description", "base", "set", "conditions", "grid", "seeds", "controls",
            "groups", "detectors");
    private static final Set<String> CONDITION_KEYS = Set.of("name", "set", "control");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final String origin;

    private SpecReader(String origin) {
        this.origin = origin;
    }

    static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("sweep spec " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read sweep spec " + file + ": " + e.getMessage());
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(text, folder, file.toString());
    }

    static SweepSpec parse(String json, Path baseFolder, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("sweep spec " + origin + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (NumberFormatException e) { // a decimal Jackson refuses to hold (1e100000000): found by fuzzing
            throw new ConfigException("sweep spec " + origin + " holds a number out of any range: " + e.getMessage());
        }
        return new SpecReader(origin).spec(root, baseFolder);
    }

    private SweepSpec spec(JsonNode root, Path baseFolder) {
        if (root == null || !root.isObject()) {
            throw error("", "must be a JSON object like {\"grid\": {\"optimizer.weight-decay\": [0.0002, 0]}, \"seeds\": 3}");
        }
        root.properties().forEach(p -> {
            String k = p.getKey();
            if (!KEYS.contains(k)) {
                throw error(k, "is not a sweep spec key; keys: " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        });
        ConfigSource base = base(root.get("base"), baseFolder);
        if (root.has("set")) {
            base = base.overlaidBy(new ConfigSource(flatObject(root.get("set"), "set")));
        }
        List<ConditionSpec> conditions = new ArrayList<>();
        JsonNode list = root.path("conditions");
        if (!list.isMissingNode()) {
            requireArray(list, "conditions");
            for (int i = 0; i < list.size(); i++) {
                conditions.add(condition(list.get(i), "conditions[" + i + "]"));
            }
        }
        SequencedMap<String, List<String>> grid = new LinkedHashMap<>();
        if (root.has("grid")) {
            requireObject(root.get("grid"), "grid");
            root.get("grid").properties().forEach(e -> grid.put(e.getKey(), scalars(e.getValue(), "grid." + e.getKey())));
        }
        Map<String, List<String>> controls = new LinkedHashMap<>();
        if (root.has("controls")) {
            requireObject(root.get("controls"), "controls");
            root.get("controls").properties().forEach(e -> controls.put(e.getKey(),
                    e.getValue().isArray() ? scalars(e.getValue(), "controls." + e.getKey())
                            : List.of(scalar(e.getValue(), "controls." + e.getKey()))));
        }
        List<String> groups = new ArrayList<>();
        if (root.has("groups")) {
            groups.addAll(strings(root.get("groups"), "groups"));
        }
        List<Long> seeds = seeds(root.get("seeds"), base);
        List<EvaluatedDetector> detectors = detectors(root.get("detectors"));
        try {
            return new SweepSpec(base, conditions, grid, seeds, controls, groups, detectors, new LinkedHashMap<>());
        } catch (ConfigException e) {
            throw new ConfigException("sweep spec " + origin + ": " + e.getMessage());
        }
    }

    private ConfigSource base(JsonNode node, Path baseFolder) {
        if (node == null || node.isNull()) {
            return ConfigSource.defaults();
        }
        if (node.isTextual()) {
            return ConfigSource.experiment(baseFolder.resolve(node.asText()));
        }
        return ConfigSource.defaults().overlaidBy(new ConfigSource(flatObject(node, "base")));
    }

    private ConditionSpec condition(JsonNode node, String where) {
        requireObject(node, where);
        node.properties().forEach(p -> {
            String k = p.getKey();
            if (!CONDITION_KEYS.contains(k)) {
                throw error(where + "." + k, "is not a condition key; keys: control, name, set");
            }
        });
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual()) {
            throw error(where + ".name", "is required: a condition's label and folder name, like \"x2-no-wd\"");
        }
        Optional<Boolean> control = Optional.empty();
        if (node.has("control")) {
            if (!node.get("control").isBoolean()) {
                throw error(where + ".control", "must be true or false, found " + node.get("control"));
            }
            control = Optional.of(node.get("control").booleanValue());
        }
        SequencedMap<String, String> set = node.has("set") ? flatObject(node.get("set"), where + ".set")
                : new LinkedHashMap<>();
        try {
            return new ConditionSpec(name.asText(), set, control);
        } catch (ConfigException e) {
            throw error(where + ".name", e.getMessage());
        }
    }

    private List<Long> seeds(JsonNode node, ConfigSource base) {
        if (node == null || node.isNull()) {
            String seed = base.values().getOrDefault("seed", "0");
            try {
                return List.of(Long.parseLong(seed.strip()));
            } catch (NumberFormatException e) {
                throw error("base.seed", "must be an integer, found '" + seed + "'");
            }
        }
        if (node.isIntegralNumber()) {
            if (node.asLong() < 1 || node.asLong() > 100_000) {
                throw error("seeds", "a count must be in 1..100000, found " + node.asLong());
            }
            return SweepSpec.firstSeeds(node.asInt());
        }
        if (node.isArray()) {
            List<Long> seeds = new ArrayList<>();
            for (JsonNode s : node) {
                if (!s.isIntegralNumber()) {
                    throw error("seeds", "must list integers, found " + s);
                }
                seeds.add(s.asLong());
            }
            return seeds;
        }
        throw error("seeds", "must be a count N (seeds 0..N-1) or a list of seeds, found " + node);
    }

    private List<EvaluatedDetector> detectors(JsonNode node) {
        List<EvaluatedDetector> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        requireArray(node, "detectors");
        for (int i = 0; i < node.size(); i++) {
            JsonNode d = node.get(i);
            String where = "detectors[" + i + "]";
            if ((d.isTextual() && d.asText().isBlank()) || (d.isObject() && d.path("name").isTextual()
                    && d.path("name").asText().isBlank())) {
                throw error(where, "names no detector; give a detector's name, like \"eigengap-slope\"");
            }
            if (d.isTextual()) {
                out.add(new EvaluatedDetector(d.asText(), Optional.empty()));
            } else if (d.isObject() && d.path("name").isTextual()) {
                d.properties().forEach(p -> {
                    String k = p.getKey();
                    if (!k.equals("name") && !k.equals("statistic")) {
                        throw error(where + "." + k, "is not a detector key; keys: name, statistic");
                    }
                });
                JsonNode statistic = d.get("statistic");
                if (statistic != null && !statistic.isTextual()) {
                    throw error(where + ".statistic", "must be the name of a statistic, like \"late_ratio\"");
                }
                // statistics are snake_case since API level 2; a spec written before says late-ratio
                out.add(new EvaluatedDetector(d.get("name").asText(),
                        Optional.ofNullable(statistic).map(n -> n.asText().replace('-', '_'))));
            } else {
                throw error(where, "must be a detector name or {\"name\": …, \"statistic\": …}, found " + d);
            }
        }
        return out;
    }

    /** A (possibly nested) object of config keys, flattened to dotted keys; lists become comma-separated. */
    private SequencedMap<String, String> flatObject(JsonNode node, String where) {
        requireObject(node, where);
        SequencedMap<String, String> out = new LinkedHashMap<>();
        flatten("", node, out, where);
        return out;
    }

    private void flatten(String prefix, JsonNode node, Map<String, String> out, String where) {
        node.properties().forEach(e -> {
            if (e.getKey().startsWith(ConfigSource.COMMENT)) {
                return;
            }
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(key, value, out, where);
            } else if (value.isArray()) {
                out.put(key, String.join(",", scalars(value, where + "." + key)));
            } else {
                out.put(key, scalar(value, where + "." + key));
            }
        });
    }

    private List<String> scalars(JsonNode node, String where) {
        requireArray(node, where);
        List<String> out = new ArrayList<>();
        node.forEach(v -> out.add(scalar(v, where)));
        return out;
    }

    private List<String> strings(JsonNode node, String where) {
        requireArray(node, where);
        List<String> out = new ArrayList<>();
        node.forEach(v -> {
            if (!v.isTextual()) {
                throw error(where, "must list config keys as strings, found " + v);
            }
            out.add(v.asText());
        });
        return out;
    }

    /**
     * The text of a plain value: numbers as written (plain decimal), booleans, strings. A number whose plain
     * form would run past {@value #MAX_PLAIN_DIGITS} digits (31e1000000000) is refused, not expanded.
     */
    private String scalar(JsonNode value, String where) {
        if (value.isNumber()) {
            if (value.isIntegralNumber()) {
                return value.bigIntegerValue().toString();
            }
            BigDecimal number = value.decimalValue().stripTrailingZeros();
            // the plain form has at most precision + |scale| digits: the significant ones and the zeros the exponent adds
            if (number.precision() + Math.abs((long) number.scale()) > MAX_PLAIN_DIGITS) {
                throw error(where, "is a number of more than " + MAX_PLAIN_DIGITS + " digits written out, found "
                        + number + "; write the value a configuration key takes");
            }
            return number.toPlainString();
        }
        if (value.isTextual() || value.isBoolean()) {
            return value.asText();
        }
        throw error(where, "must be a number, string or boolean, found " + value);
    }

    private void requireObject(JsonNode node, String where) {
        if (!node.isObject()) {
            throw error(where, "must be a JSON object, found " + node);
        }
    }

    private void requireArray(JsonNode node, String where) {
        if (!node.isArray()) {
            throw error(where, "must be a JSON array, found " + node);
        }
    }

    private ConfigException error(String key, String problem) {
        return new ConfigException("sweep spec " + origin + (key.isEmpty() ? "" : ": '" + key + "'") + " " + problem);
    }
}
