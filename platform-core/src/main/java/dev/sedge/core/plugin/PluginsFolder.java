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
     * {@code $SEDGE_PLUGINS}, else {@code ~/.sedge/plugins} with {@code ~} the shell's {@code $HOME}
     * (Java's {@code user.home}, from the password database, only when HOME is unset). The folder
     * need not exist.
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
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".sedge", "plugins");
    }
}
