package dev.sedge.core.plugin;

import java.util.Objects;

/**
 * A plugin jar, folder or provider the registry skipped, and why. The rest of the platform
 * works without it.
 *
 * @param source  the jar or folder path (or a built-in module's name)
 * @param message one line: what failed, and what to do
 */
public record PluginProblem(String source, String message) {

    public PluginProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    /** {@code plugin jar /x/broken.jar skipped: …}: the one line the command line prints. */
    @Override
    public String toString() {
        return "plugin " + source + " skipped: " + message;
    }
}
