package dev.sedge.core.sweep;

import dev.sedge.api.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.regex.Pattern;

/**
 * Folder names of conditions: an explicit condition's name, then one {@code key-value} part per grid
 * key, joined by {@code _} ({@code x2_weight-decay-0.0002}). A key is shortened to its last segment
 * ({@code optimizer.weight-decay} to {@code weight-decay}) unless two grid keys share it; characters
 * other than letters, digits and {@code . + -} become {@code -}.
 */
final class Slugs {

    private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9.+-]");

    private Slugs() {
    }

    /** Checks {@code name} is usable as a folder name. */
    static void requireSlug(String name, String what) {
        if (name == null || !SLUG.matcher(name).matches() || name.length() > 100) {
            throw new ConfigException(what + " '" + name + "' must start with a letter or digit and hold only letters,"
                    + " digits and . _ + - (at most 100 characters); it names a folder");
        }
    }

    /**
     * The slug of a condition.
     *
     * @param name       the explicit condition's name, or null for none
     * @param gridKeys   every grid key, in spec order
     * @param gridValues this condition's value of each grid key
     */
    static String of(String name, List<String> gridKeys, SequencedMap<String, String> gridValues) {
        List<String> parts = new ArrayList<>();
        if (name != null) {
            parts.add(name);
        }
        Map<String, String> shortKeys = shortKeys(gridKeys);
        for (String key : gridKeys) {
            parts.add(shortKeys.get(key) + "-" + UNSAFE.matcher(gridValues.get(key)).replaceAll("-"));
        }
        return parts.isEmpty() ? "base" : String.join("_", parts);
    }

    private static Map<String, String> shortKeys(List<String> keys) {
        Map<String, Integer> counts = new HashMap<>();
        keys.forEach(k -> counts.merge(lastSegment(k), 1, Integer::sum));
        Map<String, String> out = new HashMap<>();
        for (String key : keys) {
            String last = lastSegment(key);
            out.put(key, UNSAFE.matcher(counts.get(last) == 1 ? last : key.replace('.', '-')).replaceAll("-"));
        }
        return out;
    }

    private static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }
}
