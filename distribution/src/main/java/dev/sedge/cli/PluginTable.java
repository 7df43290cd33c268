package dev.sedge.cli;

import dev.sedge.core.plugin.PluginEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The text form of {@code sedge plugins}: one aligned row per plugin, then where plugins are loaded from. */
final class PluginTable {

    private static final List<String> HEADER = List.of("KIND", "NAME", "VERSION", "LOCATION", "SUMMARY");

    private PluginTable() {
    }

    /**
     * @param entries       rows, in the order given; not modified
     * @param pluginsFolder the third-party plugins folder, shown after the table
     */
    static String render(List<PluginEntry> entries, Path pluginsFolder) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (PluginEntry e : entries) {
            rows.add(List.of(e.kind().id(), e.name(), e.version(), e.location(), e.descriptor().summary()));
        }
        StringBuilder text = new StringBuilder(TextColumns.align(rows));
        if (entries.isEmpty()) {
            text.append("(no plugins)\n");
        }
        text.append('\n').append("third-party plugins folder: ").append(pluginsFolder)
                .append(Files.isDirectory(pluginsFolder) ? "" : " (does not exist)").append('\n');
        return text.toString();
    }
}
