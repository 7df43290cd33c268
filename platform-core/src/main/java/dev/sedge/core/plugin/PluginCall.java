package dev.sedge.core.plugin;

import dev.sedge.api.ConfigException;
import dev.sedge.api.PluginException;
import dev.sedge.api.SedgeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one policy for a call into a plugin, wherever it is made (loading, training, {@code sedge
 * detect}, explain, a sweep's runs). docs/plugins.md, "Errors", and docs/reliability.md.
 *
 * <ul>
 *   <li>The project's own exceptions pass through as the plugin threw them.</li>
 *   <li>Anything else it throws, a stack overflow and running out of memory included, is a
 *       {@link PluginException} (exit code 3) saying which plugin failed in which call, with the cause
 *       kept. A factory's {@link IllegalArgumentException} is a value out of range, so a
 *       {@link ConfigException} (exit code 2) naming the plugin.</li>
 *   <li>A call that does not return within {@link #timeLimit()} is given up: a {@link PluginException}
 *       naming it. The call runs on a daemon thread of its own and the caller waits for it, so a
 *       plugin stuck in a loop or a wait cannot hang sedge; the stuck thread is interrupted and
 *       left behind. {@link #create} and {@link #run} are timed; {@link #createHere} (calls that
 *       build engine state bound to the caller's thread) is not.</li>
 * </ul>
 */
public final class PluginCall {

    /** The system property that sets {@link #timeLimit()}, in seconds. */
    public static final String TIME_LIMIT_PROPERTY = "sedge.plugin.timeout";

    private static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(5);

    private static final ExecutorService CALLS = Executors.newCachedThreadPool(call -> {
        Thread thread = new Thread(call, "sedge-plugin-call");
        thread.setDaemon(true);
        return thread;
    });

    private PluginCall() {
    }

    /**
     * How long one call into a plugin may take: {@code -Dsedge.plugin.timeout=SECONDS}
     * ({@code SEDGE_JAVA_OPTS} for the command line), five minutes by default.
     *
     * @throws ConfigException if the property is not a positive whole number of seconds
     */
    public static Duration timeLimit() {
        String value = System.getProperty(TIME_LIMIT_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_TIME_LIMIT;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("-D" + TIME_LIMIT_PROPERTY + "=" + value
                + ": expected a positive whole number of seconds (the default is " + DEFAULT_TIME_LIMIT.toSeconds() + ")");
    }

    /**
     * Runs {@code call} within the time limit.
     *
     * @param what the plugin and the call, as the message should name them:
     *             {@code detector 'bbp' at the window of step 120}
     */
    public static <T> T run(String what, Supplier<T> call) {
        return timed(what, () -> inline(what, call, false));
    }

    /** Runs a plugin's factory ({@code create}, {@code open}): as {@link #run}, and bad values are configuration errors. */
    public static <T> T create(String what, Supplier<T> factory) {
        return timed(what, () -> inline(what, factory, true));
    }

    /**
     * As {@link #create}, on the caller's thread and without a time limit: for factories that build
     * state bound to the calling thread (an architecture's block and an optimizer, made for the
     * training engine).
     */
    public static <T> T createHere(String what, Supplier<T> factory) {
        return inline(what, factory, true);
    }

    private static <T> T inline(String what, Supplier<T> call, boolean factory) {
        try {
            return call.get();
        } catch (SedgeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            if (factory) {
                throw new ConfigException(what + ": " + e.getMessage(), e);
            }
            throw failure(what, e);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            throw failure(what, e);
        } catch (OutOfMemoryError e) {
            throw new PluginException(what + " ran out of memory (" + e.getMessage() + ", Java heap at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB). If the plugin needs more, raise it with"
                    + " SEDGE_JAVA_OPTS=-Xmx…; if not, the plugin allocates without bound: report it to its author", e);
        }
    }

    private static <T> T timed(String what, Supplier<T> call) {
        Duration limit = timeLimit();
        Future<T> future = CALLS.submit(call::get);
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PluginException(what + " did not return within " + limit.toSeconds() + " s and was given up: the"
                    + " plugin may be stuck in a loop or waiting for something. If it is only slow, allow it more with"
                    + " SEDGE_JAVA_OPTS=-D" + TIME_LIMIT_PROPERTY + "=SECONDS", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                default -> throw failure(what, e.getCause());
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PluginException(what + " was interrupted", e);
        }
    }

    private static PluginException failure(String what, Throwable e) {
        return new PluginException(what + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
}
