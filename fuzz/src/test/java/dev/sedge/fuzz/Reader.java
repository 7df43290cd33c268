package dev.sedge.fuzz;

import dev.sedge.api.SedgeException;
import dev.sedge.api.checkpoint.Checkpoint;
import dev.sedge.api.checkpoint.CheckpointFormat;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.StoredFloats;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.core.experiment.ConfigSource;
import dev.sedge.core.format.SafetensorsFormat;
import dev.sedge.core.model.ExternalData;
import dev.sedge.core.run.EventsFile;
import dev.sedge.core.run.ManifestFile;
import dev.sedge.core.run.MetricsCsv;
import dev.sedge.core.sweep.SweepSpec;
import dev.sedge.formats.npy.NpzFormat;
import dev.sedge.formats.onnx.OnnxFormat;
import dev.sedge.formats.pytorch.PickleEntry;
import dev.sedge.formats.pytorch.PytorchFormat;
import dev.sedge.spectral.SpectrumCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Every reader of sedge that takes bytes from outside, as a fuzz target.
 *
 * <p>A reader passes an input when it returns a value or throws the project's own
 * {@link SedgeException}; anything else (an unchecked exception, an error, a hang, unbounded
 * memory) is a finding. Each target names the files its seed corpus is made from (globs relative
 * to the repository's root); the .pt archives' {@code data.pkl} entries seed the unpickler.
 */
enum Reader {
    SAFETENSORS(".safetensors", new SafetensorsFormat(), "fixtures/data/**.safetensors"),
    NPY(".npy", new NpzFormat(), "fixtures/data/**.npy"),
    NPZ(".npz", new NpzFormat(), "fixtures/data/**.npz"),
    PT(".pt", new PytorchFormat(), "fixtures/data/traj/*.pt", "fixtures/data/torch2/*.pt",
            "fixtures/data/variants/*.pt", "fixtures/data/nested/*.pt", "fixtures/data/bad/*.pt"),
    PICKLE("", null, "fixtures/data/traj/*.pt", "fixtures/data/torch2/*.pt", "fixtures/data/nested/*.pt",
            "fixtures/data/bad/*.pt"),
    ONNX(".onnx", new OnnxFormat(), "fixtures/data/**.onnx"),
    ONNX_MODEL(".onnx", null, "fixtures/data/**.onnx"),
    RUN_JSON(".json", null, "platform-core/src/test/resources/golden/**/run.json"),
    EVENTS_JSON(".json", null, "platform-core/src/test/resources/golden/**/events.json"),
    METRICS_CSV(".csv", null, "platform-core/src/test/resources/golden/**/metrics.csv"),
    SPECTRUM_CSV(".csv", null, "platform-spectral/src/test/resources/golden/**/spectrum.csv"),
    SWEEP_SPEC(".json", null, "examples/sweeps/*.json", "platform-core/src/main/resources/dev/sedge/core/sweep/*.json"),
    CONFIG(".json", null, "examples/configs/*.json", "platform-core/src/main/resources/dev/sedge/core/experiment/*.json");

    private final String extension;
    private final CheckpointFormat format;
    private final List<String> seeds;

    Reader(String extension, CheckpointFormat format, String... seeds) {
        this.extension = extension;
        this.format = format;
        this.seeds = List.of(seeds);
    }

    /** The target's name on the command line and in the figures: {@code run-json}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Reader byId(String id) {
        for (Reader reader : values()) {
            if (reader.id().equals(id)) {
                return reader;
            }
        }
        throw new IllegalArgumentException("no fuzz target '" + id + "'; the targets are "
                + List.of(values()).stream().map(Reader::id).toList());
    }

    /** Globs, relative to the repository's root, of the files that seed this target. */
    List<String> seeds() {
        return seeds;
    }

    /** Whether the seeds are the {@code data.pkl} entries of the files the globs match. */
    boolean seedsArePickles() {
        return this == PICKLE;
    }

    /**
     * Reads {@code data} as this target's reader would read a file of it, in {@code scratch};
     * returns normally for a value or a refusal by the project's own exception.
     */
    void accept(byte[] data, Path scratch) {
        try {
            switch (this) {
                case PICKLE -> PickleEntry.load(data);
                case SWEEP_SPEC -> SweepSpec.parse(new String(data, StandardCharsets.UTF_8), scratch, "fuzz input");
                default -> throughFile(data, scratch);
            }
        } catch (SedgeException refused) {
            // the one acceptable failure: a refusal in the project's own terms
        }
    }

    private void throughFile(byte[] data, Path scratch) {
        Path file = scratch.resolve("input" + extension);
        try {
            Files.write(file, data);
            switch (this) {
                case RUN_JSON -> ManifestFile.read(file);
                case EVENTS_JSON -> EventsFile.readEntries(file);
                case METRICS_CSV -> MetricsCsv.read(file);
                case SPECTRUM_CSV -> SpectrumCsv.read(file);
                case CONFIG -> ConfigSource.experiment(file);
                case ONNX_MODEL -> ExternalData.refuse(file);
                default -> readCheckpoint(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fuzz scratch " + file, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("fuzz scratch " + file, e);
            }
        }
    }

    /** Where a checkpoint says a tensor's float32 values lie must be inside its own file, all of them. */
    private static void requireInside(Path file, StoredFloats stored, TensorInfo info) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!stored.file().equals(file) || stored.count() != info.elementCount()
                || stored.offset() + 4 * stored.count() > size) {
            throw new AssertionError("floats('" + info.name() + "') = " + stored + " lies outside " + file + " ("
                    + size + " bytes) or does not match " + info);
        }
    }

    /** Everything a run asks of a checkpoint: recognise, open, list, read every value, and where it lies. */
    private void readCheckpoint(Path file) {
        try {
            format.recognises(file);
        } catch (RuntimeException e) {
            throw new AssertionError(format.name() + ".recognises must not throw, whatever the bytes", e);
        }
        try (Checkpoint checkpoint = format.open(file)) {
            checkpoint.metadata();
            for (TensorInfo info : checkpoint.tensors()) {
                if (info.dtype().isFloating()) {
                    checkpoint.tensor(info.name());
                    if (info.dtype() != DType.F64) {
                        checkpoint.read(info.name(), new float[Math.toIntExact(info.elementCount()) + 1], 1);
                    }
                    checkpoint.floats(info.name()).ifPresent(stored -> requireInside(file, stored, info));
                }
            }
        }
    }
}
