package dev.sedge.core.experiment;

import dev.sedge.api.ConfigKey;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the live spectral monitor watches: the {@code spectrum.*} keys.
 *
 * @param group    a parameter group of the architecture ({@code layer1}) or a tensor-name glob
 * @param window   W, updates per window
 * @param stride   emit a window every this many updates
 * @param every    take a snapshot every this many steps (the recording interval)
 * @param centered subtract the window mean from each update
 */
public record SpectrumSettings(String group, int window, int stride, int every, boolean centered) {

    static final PluginDescriptor KEYS = PluginDescriptor.of("live spectral monitor",
            ConfigKey.ofString("group", "", "parameter group or tensor-name glob; empty for the architecture's first group"),
            ConfigKey.ofInt("window", 20, "W, updates per window"),
            ConfigKey.ofInt("stride", 1, "emit a window every this many updates"),
            ConfigKey.ofInt("every", 1, "snapshot the group every this many steps"),
            ConfigKey.ofBoolean("centered", false, "subtract the window mean from each update"));

    public SpectrumSettings {
        if (window < 2) {
            throw new IllegalArgumentException("spectrum.window must be >= 2, found " + window);
        }
        if (stride < 1 || every < 1) {
            throw new IllegalArgumentException("spectrum.stride and spectrum.every must be >= 1, found " + stride
                    + " and " + every);
        }
    }

    /**
     * The settings an effective configuration records (a {@code run.json}'s {@code config}): its
     * {@code spectrum.*} keys, defaults for those it lacks.
     *
     * @throws dev.sedge.api.ConfigException for a value that does not parse
     */
    public static SpectrumSettings recorded(Map<String, String> effective) {
        Map<String, String> own = new LinkedHashMap<>();
        for (ConfigKey key : KEYS.keys()) {
            String value = effective.get("spectrum." + key.name());
            if (value != null) {
                own.put(key.name(), value);
            }
        }
        return of(PluginConfig.of("spectrum", KEYS, own));
    }

    static SpectrumSettings of(PluginConfig c) {
        return new SpectrumSettings(c.stringValue("group"), c.intValue("window"), c.intValue("stride"),
                c.intValue("every"), c.booleanValue("centered"));
    }
}
