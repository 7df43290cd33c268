package dev.sedge.api;

import java.util.Objects;

/**
 * One configuration key a plugin takes.
 *
 * @param name         lower-kebab-case, unique within the plugin ({@code train-fraction})
 * @param type         how the value is parsed
 * @param defaultValue the default in the textual form {@code --set} takes; never {@code null}
 * @param meaning      one sentence, with units
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, String meaning) {

    public ConfigKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(meaning, "meaning");
        if (name == null || !Plugin.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("config key must be lower-kebab-case, found '" + name + "'");
        }
        type.parse(defaultValue); // a default that does not parse is a programming error
    }

    public static ConfigKey ofInt(String name, int defaultValue, String meaning) {
        return new ConfigKey(name, ConfigType.INT, Integer.toString(defaultValue), meaning);
    }

    public static ConfigKey ofLong(String name, long defaultValue, String meaning) {
        return new ConfigKey(name, ConfigType.LONG, Long.toString(defaultValue), meaning);
    }

    public static ConfigKey ofDouble(String name, double defaultValue, String meaning) {
        return new ConfigKey(name, ConfigType.DOUBLE, Double.toString(defaultValue), meaning);
    }

    public static ConfigKey ofBoolean(String name, boolean defaultValue, String meaning) {
        return new ConfigKey(name, ConfigType.BOOLEAN, Boolean.toString(defaultValue), meaning);
    }

    public static ConfigKey ofString(String name, String defaultValue, String meaning) {
        return new ConfigKey(name, ConfigType.STRING, defaultValue, meaning);
    }

    public static ConfigKey ofList(String name, String defaultValue, String meaning) {
        return new ConfigKey(name, ConfigType.LIST, defaultValue, meaning);
    }
}
