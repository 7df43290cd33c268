package dev.sedge.core.plugin;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginException;
import dev.sedge.api.SedgeException;
import java.util.function.Supplier;

/**
 * The one policy for a call into a plugin, wherever it is made (training, {@code sedge detect},
 * a sweep's runs): the project's own exceptions pass through as the plugin threw them; anything
 * else it throws is a {@link PluginException} (exit code 3) saying which plugin failed in which
 * call, with the cause kept. A factory's {@link IllegalArgumentException} is a value out of range,
 * so a {@link ConfigException} (exit code 2) naming the plugin. docs/plugins.md, "Errors".
 */
public final class PluginCall {

    private PluginCall() {
    }

    /**
     * Runs {@code call}.
     *
     * @param what the plugin and the call, as the message should name them:
     *             {@code detector 'bbp' at the window of step 120}
     */
    public static <T> T run(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SedgeException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw failure(what, e);
        }
    }

    /** Runs a plugin's factory ({@code create}, {@code open}): as {@link #run}, and bad values are configuration errors. */
    public static <T> T create(String what, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (SedgeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw failure(what, e);
        }
    }

    private static PluginException failure(String what, Throwable e) {
        return new PluginException(what + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
}
