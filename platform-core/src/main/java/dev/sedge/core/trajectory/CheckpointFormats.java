package dev.sedge.core.trajectory;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.core.plugin.PluginEntry;
import dev.sedge.core.plugin.PluginKind;
import dev.sedge.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The checkpoint formats sedge knows, and which one a file is in. A file is in the format that
 * recognises its content; a file claimed by none, or by several, is refused. Immutable.
 *
 * @param formats the formats to choose from (usually every format in the registry)
 */
public record CheckpointFormats(List<CheckpointFormat> formats) {

    public CheckpointFormats {
        formats = List.copyOf(formats);
    }

    /** Every checkpoint format of {@code registry}, built in and third-party, in registry order. */
    public static CheckpointFormats of(PluginRegistry registry) {
        return new CheckpointFormats(registry.entries(PluginKind.FORMAT).stream().map(PluginEntry::plugin)
                .map(CheckpointFormat.class::cast).toList());
    }

    /**
     * The format of {@code file}.
     *
     * @throws DataFormatException naming the file and the formats tried, if none or several claim it
     */
    public CheckpointFormat formatOf(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("checkpoint " + file + " does not exist or is not a file");
        }
        List<CheckpointFormat> claiming = formats.stream().filter(f -> f.recognises(file)).toList();
        if (claiming.size() == 1) {
            return claiming.getFirst();
        }
        if (claiming.isEmpty()) {
            throw new DataFormatException("checkpoint " + file + " is in no known format (tried "
                    + names(formats) + "); it may be truncated or corrupt, or need a format plugin");
        }
        throw new DataFormatException("checkpoint " + file + " is claimed by several formats (" + names(claiming)
                + "); remove one of those plugins");
    }

    /**
     * The formats that read {@code series}, as a provenance names its plugins: {@code format/NAME} to version.
     *
     * @throws DataFormatException as {@link #formatOf}
     */
    public Map<String, String> versions(List<StepFile> series) {
        Map<String, String> plugins = new TreeMap<>();
        for (StepFile file : series) {
            CheckpointFormat format = formatOf(file.file());
            plugins.put(PluginKind.FORMAT.id() + "/" + format.name(), format.version());
        }
        return plugins;
    }

    /** Opens {@code file} in its format. The caller closes the result. */
    public Checkpoint open(Path file) {
        return formatOf(file).open(file);
    }

    /**
     * Whether {@code file} is meant to be a checkpoint: some format claims it, or its name ends in
     * an extension a format is saved with (a damaged file then fails in {@link #formatOf} with a
     * message naming it, instead of leaving a silent gap in a series).
     */
    public boolean isCheckpoint(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return formats.stream().anyMatch(f -> f.extensions().stream().anyMatch(name::endsWith) || f.recognises(file));
    }

    private static String names(List<CheckpointFormat> formats) {
        return formats.stream().map(CheckpointFormat::name).collect(Collectors.joining(", "));
    }
}
