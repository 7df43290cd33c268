package dev.sedge.formats.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.formats.npy.NpzFormat;
import dev.sedge.formats.onnx.OnnxFormat;
import dev.sedge.formats.pytorch.PytorchFormat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file is claimed by exactly one format, judged by content; and the formats are registered both ways. */
class RecognitionTests {

    private static final List<CheckpointFormat> FORMATS = List.of(Reference.SAFETENSORS, new NpzFormat(),
            new PytorchFormat(), new OnnxFormat());

    @TempDir
    Path folder;

    @Test
    void claimsEveryFixtureByExactlyTheFormatItsExtensionNames() {
        for (Path file : Fixtures.all()) {
            String name = file.getFileName().toString();
            String owner = switch (name.substring(name.lastIndexOf('.') + 1)) {
                case "npy", "npz" -> "npz";
                case "pt" -> "pytorch";
                default -> name.substring(name.lastIndexOf('.') + 1);
            };
            List<String> claims = FORMATS.stream().filter(f -> f.recognises(file)).map(CheckpointFormat::name).toList();
            assertEquals(List.of(owner), claims, file.toString());
        }
    }

    @Test
    void judgesByContentNotByTheFileName() throws IOException {
        Path disguised = folder.resolve("weights.onnx");
        Files.copy(Fixtures.file("traj/step-2.pt"), disguised);
        assertEquals(List.of("pytorch"), FORMATS.stream().filter(f -> f.recognises(disguised)).map(CheckpointFormat::name).toList());
    }

    @Test
    void claimsNoRandomOrTinyFileAndNeverThrows() throws IOException {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 7, 8, 9, 10, 63, 64, 1000, 100_000}) {
            for (int trial = 0; trial < 20; trial++) {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                Path file = Files.write(folder.resolve("random-" + size + "-" + trial + ".bin"), bytes);
                for (CheckpointFormat format : FORMATS) {
                    assertEquals(false, format.recognises(file), format.name() + " claims random " + file);
                }
            }
        }
    }

    @Test
    void providesEachFormatThroughTheModuleAndMetaInfServices() throws IOException {
        List<String> classes = List.of(NpzFormat.class.getName(), PytorchFormat.class.getName(), OnnxFormat.class.getName());
        Module module = NpzFormat.class.getModule();
        ModuleDescriptor descriptor = module.getDescriptor();
        if (descriptor != null) {
            assertEquals(classes, descriptor.provides().stream().filter(p -> p.service().equals(CheckpointFormat.class.getName()))
                    .flatMap(p -> p.providers().stream()).toList());
            assertTrue(descriptor.exports().isEmpty(), "a plugin module exports nothing");
        }
        try (InputStream in = module.getResourceAsStream("META-INF/services/" + CheckpointFormat.class.getName())) {
            assertTrue(in != null, "META-INF/services is missing");
            assertEquals(classes, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        }
    }
}
