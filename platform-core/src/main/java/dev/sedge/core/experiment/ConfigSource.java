package dev.sedge.core.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An experiment's configuration as flat dotted keys ({@code task.p} to {@code 71}), read from a
 * JSON file whose objects nest the keys ({@code {"task": {"p": 71}}}), and overridden by
 * {@code --set key=value}. Arrays become comma-separated lists; a key starting with {@code //} is a
 * comment and ignored. Immutable.
 *
 * <p>Layers ({@link #overlaidBy}): a config file lies over the default experiment, {@code --set} over
 * both, key by key, except where a layer chooses a plugin: a layer that names the task (architecture,
 * optimizer) brings that section whole, so the lower layers' keys of it are dropped (they configured
 * the plugin chosen before); one that names the architecture also drops {@code spectrum.group} (it
 * names that architecture's parameters; empty means its first group); one that lists
 * {@code detectors} drops the settings of detectors no longer listed. docs/training.md, "Configuration".
 *
 * @param values flat key to textual value, sorted
 */
public record ConfigSource(Map<String, String> values) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What starts a comment key in a config file: {@code "//p": "the modulus"}. */
    public static final String COMMENT = "//";

    /** The sections a layer brings whole when it names their plugin. */
    private static final List<String> PLUGIN_SECTIONS = List.of("task", "architecture", "optimizer");

    public ConfigSource {
        values = Map.copyOf(new TreeMap<>(values));
    }

    /** The built-in default experiment (docs/science.md, the lock-in setup). */
    public static ConfigSource defaults() {
        try (InputStream in = ConfigSource.class.getResourceAsStream("default-experiment.json")) {
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "built-in defaults");
        } catch (IOException e) {
            throw new IllegalStateException("the built-in default experiment is missing", e);
        }
    }

    /** The config file {@code file} laid over the default experiment: what {@code sedge train CONFIG} runs. */
    public static ConfigSource experiment(Path file) {
        return defaults().overlaidBy(read(file));
    }

    /**
     * Reads a JSON config file, as it stands (not laid over the default).
     *
     * @throws ConfigException naming the file if it is missing or not a JSON object
     */
    public static ConfigSource read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    static ConfigSource parse(String json, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config " + origin + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config " + origin + " must be a JSON object like {\"task\": {\"p\": 71}}");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root, flat, origin);
        return new ConfigSource(flat);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, String origin) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(COMMENT)) {
                continue;
            }
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(key, value, out, origin);
            } else if (value.isArray()) {
                List<String> items = new java.util.ArrayList<>();
                for (JsonNode item : value) {
                    if (item.isContainerNode()) {
                        throw new ConfigException("config " + origin + ": '" + key + "' may only list plain values");
                    }
                    items.add(item.asText());
                }
                out.put(key, String.join(",", items));
            } else if (!value.isNull()) {
                out.put(key, value.asText());
            }
        }
    }

    /**
     * This source with {@code key=value} overrides ({@code --set}) laid over it as one layer
     * ({@link #overlaidBy}); among the overrides the later wins.
     *
     * @throws ConfigException for an override without {@code =}
     */
    public ConfigSource with(List<String> overrides) {
        Map<String, String> layer = new LinkedHashMap<>();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set takes key=value, found '" + override + "'");
            }
            layer.put(override.substring(0, eq).strip(), override.substring(eq + 1).strip());
        }
        return overlaidBy(new ConfigSource(layer));
    }

    /**
     * {@code layer} laid over this source: its keys win, and where it names a plugin the keys that
     * configured this source's choice go (the class comment has the rule).
     */
    public ConfigSource overlaidBy(ConfigSource layer) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        Map<String, String> top = layer.values();
        for (String section : PLUGIN_SECTIONS) {
            if (top.containsKey(section + ".name")) {
                merged.keySet().removeIf(k -> k.startsWith(section + "."));
            }
        }
        if (top.containsKey("architecture.name")) {
            merged.remove("spectrum.group");
        }
        if (top.containsKey("detectors")) {
            List<?> listed = (List<?>) ConfigType.LIST.parse(top.get("detectors"));
            merged.keySet().removeIf(k -> k.startsWith("detector.")
                    && listed.stream().noneMatch(name -> k.startsWith("detector." + name + ".")));
        }
        merged.putAll(top);
        return new ConfigSource(merged);
    }

    /** The keys under {@code prefix.} with the prefix removed ({@code task.p} → {@code p}). */
    public Map<String, String> section(String prefix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix + ".")) {
                out.put(k.substring(prefix.length() + 1), v);
            }
        });
        return out;
    }
}
