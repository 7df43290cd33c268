package dev.sedge.core.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.Plugin;
import dev.sedge.api.PluginDescriptor;
import java.util.List;

/**
 * An experiment written out as a complete config file to start from: every key of every section
 * with its effective value, typed as JSON (numbers, booleans, lists), each preceded by a comment key
 * ({@code "//p": "…"}, which {@link ConfigSource} skips) giving its meaning and default. Read back
 * by {@code sedge train}, it resolves to the same experiment. What {@code sedge config default} prints.
 */
public final class ConfigDocument {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigDocument() {
    }

    /** {@code experiment} as a commented JSON document, ending in a newline. */
    public static String of(Experiment experiment) {
        ObjectNode root = JSON.createObjectNode();
        root.put(ConfigSource.COMMENT, "a sedge experiment: every key with its value; keys starting with // are"
                + " comments. sedge train FILE lays it over the default experiment; docs/training.md has the rules");
        root.put("//seed", "the run's seed: split, initialisation, minibatch sampling");
        root.put("seed", experiment.seed());
        plugin(root, "task", experiment.task(), experiment);
        plugin(root, "architecture", experiment.architecture(), experiment);
        plugin(root, "optimizer", experiment.optimizer(), experiment);
        keys(root.putObject("train"), "train", TrainSettings.KEYS, experiment);
        keys(root.putObject("spectrum"), "spectrum", SpectrumSettings.KEYS, experiment);
        root.put("//detectors", "the detectors that watch the spectrum live, in order (sedge plugins lists them)");
        ArrayNode names = root.putArray("detectors");
        experiment.detectors().forEach(d -> names.add(d.plugin().name()));
        if (!experiment.detectors().isEmpty()) {
            ObjectNode detectors = root.putObject("detector");
            for (Selected<?> d : experiment.detectors()) {
                String name = d.plugin().name();
                ObjectNode node = detectors.putObject(name);
                node.put(ConfigSource.COMMENT, d.plugin().descriptor().summary());
                keys(node, "detector." + name, d.plugin().descriptor(), experiment);
            }
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config document could not be written", e);
        }
    }

    private static void plugin(ObjectNode root, String section, Selected<? extends Plugin> selected,
                               Experiment experiment) {
        ObjectNode node = root.putObject(section);
        node.put("//name", selected.plugin().descriptor().summary()
                + " (sedge plugins show " + selected.plugin().name() + ")");
        node.put("name", selected.plugin().name());
        keys(node, section, selected.plugin().descriptor(), experiment);
    }

    private static void keys(ObjectNode node, String scope, PluginDescriptor descriptor, Experiment experiment) {
        for (ConfigKey key : descriptor.keys()) {
            String text = experiment.effective().get(scope + "." + key.name());
            if (text == null) {
                continue;
            }
            node.put("//" + key.name(), key.meaning() + " (default: "
                    + (key.defaultValue().isEmpty() ? "empty" : key.defaultValue()) + ")");
            switch (key.type().parse(text)) {
                case Integer i -> node.put(key.name(), i);
                case Long l -> node.put(key.name(), l);
                case Double d -> node.put(key.name(), d);
                case Boolean b -> node.put(key.name(), b);
                case List<?> list -> {
                    ArrayNode items = node.putArray(key.name());
                    list.forEach(item -> items.add(String.valueOf(item)));
                }
                default -> node.put(key.name(), text);
            }
        }
    }
}
