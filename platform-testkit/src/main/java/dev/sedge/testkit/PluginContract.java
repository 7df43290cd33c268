package dev.sedge.testkit;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import java.util.Map;

/**
 * The checks every plugin passes, whatever its SPI. Failures are {@link AssertionError}s, so any
 * test framework reports them.
 */
public final class PluginContract {

    private PluginContract() {
    }

    /**
     * Checks the name, the descriptor (summary, API level, keys whose defaults parse), the
     * version, and that an unknown configuration key is refused with a message listing the known
     * keys.
     *
     * @return the plugin's configuration at its defaults
     */
    public static PluginConfig check(Plugin plugin) {
        String name = plugin.name();
        require(name != null && Plugin.NAME.matcher(name).matches(),
                "name must be lower-kebab-case, found '" + name + "'");
        PluginDescriptor descriptor = plugin.descriptor();
        require(descriptor != null, name + ": descriptor() returned null");
        require(descriptor == plugin.descriptor() || descriptor.equals(plugin.descriptor()),
                name + ": descriptor() must return the same value on every call");
        require(!descriptor.summary().isBlank(), name + ": summary is blank");
        require(descriptor.apiLevel() <= PluginDescriptor.API_LEVEL,
                name + ": needs API level " + descriptor.apiLevel() + ", this API is " + PluginDescriptor.API_LEVEL);
        String version = plugin.version();
        require(version != null && !version.isBlank(), name + ": version is blank");
        PluginConfig defaults = PluginConfig.defaults("contract." + name, descriptor);
        try {
            PluginConfig.of("contract." + name, descriptor, Map.of("no-such-key-for-contract", "1"));
            throw new AssertionError(name + ": an unknown configuration key was accepted");
        } catch (ConfigException e) {
            for (ConfigKey key : descriptor.keys()) {
                require(e.getMessage().contains(key.name()),
                        name + ": the unknown-key message does not list key '" + key.name() + "': " + e.getMessage());
            }
        }
        return defaults;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
