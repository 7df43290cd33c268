package dev.sedge.core.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.ConfigKey;
import dev.sedge.api.Plugin;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.PluginDescriptor;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.detect.DetectorRun;
import dev.sedge.api.detect.EdgeDetector;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import dev.sedge.api.model.TaskShape;
import dev.sedge.api.task.Task;
import dev.sedge.api.task.TaskData;
import dev.sedge.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentTests {

    @TempDir
    Path dir;

    record FakeTask(String name) implements Task {
        public PluginDescriptor descriptor() {
            return PluginDescriptor.of("t", ConfigKey.ofInt("p", 97, "modulus"));
        }

        public TaskData create(PluginConfig config, long seed) {
            throw new UnsupportedOperationException();
        }
    }

    record FakeArchitecture(String name) implements Architecture {
        public PluginDescriptor descriptor() {
            return PluginDescriptor.of("a", ConfigKey.ofInt("hidden", 64, "units"));
        }

        public ModelSpec create(PluginConfig config, TaskShape shape) {
            throw new UnsupportedOperationException();
        }
    }

    record FakeOptimizer(String name) implements Optimizer {
        public PluginDescriptor descriptor() {
            return PluginDescriptor.of("o", ConfigKey.ofDouble("learning-rate", 1e-3, "step size"));
        }

        public OptimizerRun create(PluginConfig config, List<TensorInfo> parameters) {
            throw new UnsupportedOperationException();
        }
    }

    record FakeDetector(String name) implements EdgeDetector {
        public PluginDescriptor descriptor() {
            return PluginDescriptor.of("d", ConfigKey.ofInt("lag", 25, "steps"));
        }

        public DetectorRun open(PluginConfig config) {
            throw new UnsupportedOperationException();
        }
    }

    private final PluginRegistry registry = PluginRegistry.of(List.<Plugin>of(new FakeTask("mod-add"),
            new FakeArchitecture("mlp2"), new FakeOptimizer("adam"), new FakeDetector("eigengap-slope")));

    private static ConfigSource base() {
        return new ConfigSource(java.util.Map.of("task.name", "mod-add", "architecture.name", "mlp2",
                "optimizer.name", "adam"));
    }

    @Test
    void readsNestedJsonAsDottedKeysAndAppliesOverridesInOrder() throws IOException {
        Path file = Files.writeString(dir.resolve("e.json"), """
                {"seed": 5, "task": {"name": "mod-add", "p": 71}, "detectors": ["eigengap-slope"],
                 "detector": {"eigengap-slope": {"lag": 10}}}""");
        ConfigSource source = ConfigSource.read(file).with(List.of("task.p=13", "task.p=17"));

        assertEquals("17", source.values().get("task.p"));
        assertEquals("eigengap-slope", source.values().get("detectors"));
        assertEquals("10", source.values().get("detector.eigengap-slope.lag"));
        assertEquals("5", source.values().get("seed"));
    }

    @Test
    void fillsDefaultsAndRecordsEveryEffectiveKey() {
        Experiment e = Experiment.resolve(base().with(List.of("task.p=71", "detectors=eigengap-slope")), registry);

        assertEquals(71, e.task().config().intValue("p"));
        assertEquals(64, e.architecture().config().intValue("hidden"));
        assertEquals(400, e.train().steps());
        assertEquals("25", e.effective().get("detector.eigengap-slope.lag"));
        assertEquals("71", e.effective().get("task.p"));
        assertEquals("mod-add", e.effective().get("task.name"));
    }

    @Test
    void refusesAnUnknownPluginKeyListingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Experiment.resolve(base().with(List.of("task.modulus=71")), registry));
        assertTrue(e.getMessage().contains("task.modulus") && e.getMessage().contains("known keys: p"),
                e.getMessage());
    }

    @Test
    void refusesAnUnknownSection() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Experiment.resolve(base().with(List.of("trian.steps=3")), registry));
        assertTrue(e.getMessage().contains("trian.steps"), e.getMessage());
    }

    @Test
    void refusesAnUnknownPluginName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Experiment.resolve(base().with(List.of("optimizer.name=lion")), registry));
        assertTrue(e.getMessage().contains("unknown optimizer 'lion'") && e.getMessage().contains("adam"),
                e.getMessage());
    }

    @Test
    void refusesConfigurationOfADetectorThatIsNotSelected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Experiment.resolve(base().with(List.of("detector.eigengap-slope.lag=3")), registry));
        assertTrue(e.getMessage().contains("not in 'detectors'"), e.getMessage());
    }

    @Test
    void refusesAnOutOfRangeTrainingValueNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Experiment.resolve(base().with(List.of("train.steps=0")), registry));
        assertTrue(e.getMessage().contains("train.steps"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotJsonNamingTheLine() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\n \"task\": {\"p\": 71,}\n}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigSource.read(file));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void shipsADefaultExperimentWithTheLockInSetup() {
        ConfigSource defaults = ConfigSource.defaults();
        assertEquals("71", defaults.values().get("task.p"));
        assertEquals("2016", defaults.values().get("task.train-size"));
        assertEquals("20", defaults.values().get("spectrum.window"));
    }

    @Test
    void aLayerNamingAPluginBringsItsSectionWholeAndOtherwiseKeysMerge() {
        ConfigSource lower = new ConfigSource(java.util.Map.of("task.name", "mod-add", "task.p", "71",
                "task.train-size", "2016", "architecture.name", "mlp2", "architecture.hidden", "2048",
                "spectrum.group", "layer1", "spectrum.window", "20", "detectors", "a,b",
                "detector.a.lag", "5", "detector.b.lag", "6"));

        ConfigSource keyByKey = lower.with(List.of("task.p=97", "architecture.hidden=64"));
        assertEquals("97", keyByKey.values().get("task.p"));
        assertEquals("2016", keyByKey.values().get("task.train-size"));
        assertEquals("layer1", keyByKey.values().get("spectrum.group"));

        ConfigSource otherTask = lower.with(List.of("task.p=13", "task.name=mod-mul"));
        assertEquals("mod-mul", otherTask.values().get("task.name"));
        assertEquals("13", otherTask.values().get("task.p"), "the layer's own keys stay, whatever their order");
        assertEquals(null, otherTask.values().get("task.train-size"), "the old task's keys go");
        assertEquals("2048", otherTask.values().get("architecture.hidden"));

        ConfigSource otherModel = lower.with(List.of("architecture.name=transformer"));
        assertEquals(null, otherModel.values().get("architecture.hidden"));
        assertEquals(null, otherModel.values().get("spectrum.group"));
        assertEquals("20", otherModel.values().get("spectrum.window"));

        ConfigSource fewerDetectors = lower.with(List.of("detectors=b"));
        assertEquals(null, fewerDetectors.values().get("detector.a.lag"));
        assertEquals("6", fewerDetectors.values().get("detector.b.lag"));
    }

    @Test
    void aFileLiesOverTheDefaultExperimentAndItsCommentKeysAreSkipped() throws IOException {
        Path file = Files.writeString(dir.resolve("e.json"), """
                {"//": "a comment", "train": {"//steps": "how long", "steps": 1000}}""");
        ConfigSource source = ConfigSource.experiment(file);
        ConfigSource expected = ConfigSource.defaults().with(List.of("train.steps=1000"));
        assertEquals(expected, source);
    }

    @Test
    void aConfigDocumentReadsBackAsTheSameExperiment() throws IOException {
        Experiment e = Experiment.resolve(base().with(List.of("task.p=71", "detectors=eigengap-slope",
                "detector.eigengap-slope.lag=10", "train.steps=12")), registry);
        String document = ConfigDocument.of(e);
        assertTrue(document.contains("\"//p\" : \"modulus (default: 97)\""), document);
        assertTrue(document.contains("\"p\" : 71"), document);
        assertTrue(document.contains("\"detectors\" : [ \"eigengap-slope\" ]"), document);

        Experiment back = Experiment.resolve(ConfigSource.read(Files.writeString(dir.resolve("doc.json"), document)),
                registry);
        assertEquals(e.effective(), back.effective());
    }
}
