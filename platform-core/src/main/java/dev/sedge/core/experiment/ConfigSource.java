package dev.sedge.core.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sedge.api.ConfigException;
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
 * {@code --set key=value}. Arrays become comma-separated lists. Immutable.
 *
 * @param values flat key to textual value, sorted
 */
public record ConfigSource(Map<String, String> values) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ConfigSource {
        values = Map.copyOf(new TreeMap<>(values));
    }

    /** The built-in default experiment (SCIENCE.md §4, the lock-in setup). */
    public static ConfigSource defaults() {
        try (InputStream in = ConfigSource.class.getResourceAsStream("default-experiment.json")) {
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "built-in defaults");
        } catch (IOException e) {
            throw new IllegalStateException("the built-in default experiment is missing", e);
        }
    }

    /**
     * Reads a JSON config file.
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
     * This source with {@code key=value} overrides applied in order.
     *
     * @throws ConfigException for an override without {@code =}
     */
    public ConfigSource with(List<String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set takes key=value, found '" + override + "'");
            }
            merged.put(override.substring(0, eq).strip(), override.substring(eq + 1).strip());
        }
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
