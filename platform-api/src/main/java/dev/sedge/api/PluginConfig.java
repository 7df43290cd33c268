package dev.sedge.api;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One plugin's configuration: every key its {@link PluginDescriptor} declares, with the user's
 * value or the default, parsed to its {@link ConfigType}. Immutable and thread-safe.
 *
 * <p>Built by {@link #of}, which is the single place user input is checked against a
 * descriptor: an unknown key, or a value that does not parse, is a {@link ConfigException} that
 * names the scope and lists the known keys. A plugin parses the result into its own config
 * record, whose compact constructor checks ranges.
 */
public final class PluginConfig {

    private final String scope;
    private final Map<String, Object> values;
    private final Map<String, Boolean> explicit;

    private PluginConfig(String scope, Map<String, Object> values, Map<String, Boolean> explicit) {
        this.scope = scope;
        this.values = Collections.unmodifiableMap(values);
        this.explicit = Collections.unmodifiableMap(explicit);
    }

    /**
     * Checks {@code raw} against {@code descriptor} and fills in defaults.
     *
     * @param scope      where these keys live, for messages: {@code task.mod-add}
     * @param descriptor the plugin's descriptor; not modified
     * @param raw        user values, textual ({@code "71"}) or already typed ({@code 71}); not modified
     * @throws ConfigException for an unknown key or a value that does not parse
     */
    public static PluginConfig of(String scope, PluginDescriptor descriptor, Map<String, ?> raw) {
        Map<String, ConfigKey> keys = new LinkedHashMap<>();
        descriptor.keys().forEach(k -> keys.put(k.name(), k));
        for (String name : raw.keySet()) {
            if (!keys.containsKey(name)) {
                String guess = closest(name, keys.keySet());
                throw new ConfigException("unknown configuration key '" + scope + "." + name + "'"
                        + (guess == null ? "" : " (did you mean '" + scope + "." + guess + "'?)") + "; "
                        + knownKeys(scope, descriptor));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Boolean> explicit = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            Object given = raw.get(key.name());
            String text = given == null ? key.defaultValue() : textOf(given);
            try {
                values.put(key.name(), key.type().parse(text));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("bad value for '" + scope + "." + key.name() + "': " + e.getMessage()
                        + " (" + key.meaning() + ")");
            }
            explicit.put(key.name(), given != null);
        }
        return new PluginConfig(scope, values, explicit);
    }

    /** Every key at its default. */
    public static PluginConfig defaults(String scope, PluginDescriptor descriptor) {
        return of(scope, descriptor, Map.of());
    }

    private static String textOf(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /** The candidate nearest to {@code name} by edit distance, if within a third of its length (at least 1). */
    private static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(1, name.length() / 3) + 1;
        for (String candidate : candidates) {
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein's distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String knownKeys(String scope, PluginDescriptor descriptor) {
        if (descriptor.keys().isEmpty()) {
            return scope + " takes no keys";
        }
        return "known keys: " + descriptor.keys().stream().map(ConfigKey::name).collect(Collectors.joining(", "));
    }

    /** Where these keys live: {@code task.mod-add}. */
    public String scope() {
        return scope;
    }

    /** Every key with its parsed value, in declaration order. */
    public Map<String, Object> values() {
        return values;
    }

    /** Whether the user gave {@code key} (rather than taking the default). */
    public boolean isExplicit(String key) {
        return explicit.get(checked(key));
    }

    public int intValue(String key) {
        return (Integer) values.get(checked(key));
    }

    public long longValue(String key) {
        Object v = values.get(checked(key));
        return v instanceof Integer i ? i : (Long) v;
    }

    public double doubleValue(String key) {
        return ((Number) values.get(checked(key))).doubleValue();
    }

    public boolean booleanValue(String key) {
        return (Boolean) values.get(checked(key));
    }

    public String stringValue(String key) {
        return String.valueOf(values.get(checked(key)));
    }

    @SuppressWarnings("unchecked")
    public List<String> listValue(String key) {
        return (List<String>) values.get(checked(key));
    }

    /** A {@link ConfigException} for {@code key}, for a plugin's own range checks. */
    public ConfigException invalid(String key, String problem) {
        return new ConfigException("bad value for '" + scope + "." + checked(key) + "' = " + values.get(key)
                + ": " + problem);
    }

    private String checked(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(scope + " declares no key '" + key + "'");
        }
        return key;
    }

    @Override
    public String toString() {
        return scope + values;
    }
}
