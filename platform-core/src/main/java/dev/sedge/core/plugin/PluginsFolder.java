package dev.sedge.core.plugin;

import java.nio.file.Path;
import java.util.Map;

/** Where third-party plugin jars are looked for. */
public final class PluginsFolder {

    /** The environment variable naming the plugins folder. */
    public static final String ENV = "SEDGE_PLUGINS";

    private PluginsFolder() {
    }

    /**
     * The plugins folder: {@code option} if given (the {@code --plugins} flag), else
     * {@code $SEDGE_PLUGINS}, else {@code ~/.sedge/plugins}. The folder need not exist.
     *
     * @param option nullable; blank counts as absent
     * @param env    the process environment; not modified
     */
    public static Path resolve(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return Path.of(option);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("user.home"), ".sedge", "plugins");
    }
}
