package dev.sedge.api;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * What every sedge plugin is: a stateless provider with a stable name and a descriptor.
 *
 * <p>Each SPI ({@code Task}, {@code Architecture}, {@code Optimizer}, {@code FunctionalBasis},
 * {@code EdgeDetector}, {@code CheckpointFormat}) extends this interface with one factory method
 * that creates a product holding one run's state. Providers are found by {@link java.util.ServiceLoader}, so an
 * implementation needs a public no-argument constructor (or a public static {@code provider()}
 * method) and must be cheap to construct: do real work in the factory method, not in the
 * constructor.
 */
public interface Plugin {

    /** Lower-kebab-case: {@code mod-add}, {@code eigengap-slope}, {@code mlp2}. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /**
     * The stable id of this provider, unique within its kind (its SPI); matches {@link #NAME}.
     * Users write it in configs, so it never changes once published.
     */
    String name();

    /** Summary, required API level and configuration keys. Called often: return a constant. */
    PluginDescriptor descriptor();

    /**
     * The provider's version: by default its module's version (set at compile time,
     * {@code javac --module-version}); for a plain jar (an automatic module, whose version Java takes
     * from the file name) the manifest's {@code Implementation-Version} first; else
     * {@code "unversioned"}.
     */
    default String version() {
        return versionOf(getClass());
    }

    /** The version of the module (or, for a plain jar, its manifest) that defines {@code type}. */
    static String versionOf(Class<?> type) {
        ModuleDescriptor descriptor = type.getModule().getDescriptor();
        if (descriptor == null || descriptor.isAutomatic()) {
            String manifest = manifestVersion(type);
            if (manifest != null) {
                return manifest;
            }
        }
        if (descriptor != null && descriptor.rawVersion().isPresent()) {
            return descriptor.rawVersion().get();
        }
        return "unversioned";
    }

    /** The {@code Implementation-Version} of the manifest beside {@code type}, or null. */
    private static String manifestVersion(Class<?> type) {
        if (type.getModule().isNamed()) {
            try (InputStream in = type.getModule().getResourceAsStream("META-INF/MANIFEST.MF")) {
                return in == null ? null : new Manifest(in).getMainAttributes().getValue("Implementation-Version");
            } catch (IOException e) {
                return null; // an unreadable manifest gives no version; the file name's stands
            }
        }
        return type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
    }
}
