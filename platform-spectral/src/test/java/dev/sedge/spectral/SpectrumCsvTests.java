package dev.sedge.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrumCsvTests {

    @TempDir
    Path dir;

    private static List<WindowSpectrum> engineWindows(boolean centered) {
        float[][] rows = PlantedSpectrum.gaussianRows(9, 1_000, 12);
        SpectralEngine engine = new SpectralEngine(SpectralOptions.of(4).withStride(2).withCentering(centered), 1_000);
        List<WindowSpectrum> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            engine.accept(100L * (i + 1), rows[i], 1e-3 / (i + 1)).ifPresent(out::add);
        }
        return out;
    }

    /** A window with the awkward values: +∞ and 1 ratios from zeros, NaN comparisons, tiny and huge numbers. */
    private static WindowSpectrum awkward() {
        double[] sigma = {3.0000000000000004, 1e-300, 0, 0};
        double[] lambda = {9.000000000000002, 0, 0, 0};
        double[] ratios = {3.0000000000000004e300, Double.POSITIVE_INFINITY, 1};
        double nan = Double.NaN;
        return new WindowSpectrum(7, 4, 123, false, true, sigma, lambda, ratios, 2, 1, 9.000000000000002, 0.1,
                new double[] {nan, nan, nan, nan}, nan, nan, new double[] {1, nan}, new double[] {nan, nan, nan},
                nan, nan);
    }

    @Test
    void headerStartsWithTheColumnsTheIssueNames() {
        assertEquals("step,sigma_1,sigma_2,sigma_3,lambda_1,lambda_2,lambda_3,ratio_1,ratio_2,kstar,kstar_weighted,g23",
                String.join(",", SpectrumCsv.header(3).subList(0, 12)));
        assertEquals("first_step", SpectrumCsv.header(3).get(12));
    }

    @Test
    void roundTripsEveryValueBitForBit() {
        List<WindowSpectrum> windows = new ArrayList<>(engineWindows(false));
        windows.add(awkward());
        Path file = dir.resolve("spectrum.csv");
        SpectrumCsv.write(file, 4, windows);
        assertEquals(windows, SpectrumCsv.read(file));
        List<WindowSpectrum> centered = engineWindows(true);
        SpectrumCsv.write(file, 4, centered);
        assertEquals(centered, SpectrumCsv.read(file));
    }

    @Test
    void streamingWriterCommitsOnCloseAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("spectrum.csv");
        try (SpectrumCsv.Writer writer = SpectrumCsv.open(file, 4)) {
            writer.append(awkward());
            assertFalse(Files.exists(file), "nothing visible before close");
        }
        assertEquals(1, SpectrumCsv.read(file).size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void abandonedWriterLeavesTheOldFileUntouched() throws IOException {
        Path file = dir.resolve("spectrum.csv");
        SpectrumCsv.write(file, 4, List.of(awkward()));
        String before = Files.readString(file);
        SpectrumCsv.Writer writer = SpectrumCsv.open(file, 4);
        writer.append(engineWindows(false).getFirst());
        writer.abandon();
        writer.close();
        assertEquals(before, Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aWholeFileWriteThatFailsOnARowLeavesTheOldFileUntouched() throws IOException {
        Path file = dir.resolve("spectrum.csv");
        SpectrumCsv.write(file, 4, List.of(awkward()));
        String before = Files.readString(file);
        List<WindowSpectrum> oneTooNarrow = new ArrayList<>(engineWindows(false));
        oneTooNarrow.add(new WindowSpectrum(9, 3, 123, false, false, new double[] {3, 2, 1}, new double[] {9, 4, 1},
                new double[] {1.5, 2}, 2, 2, 3, 0.1, new double[] {0, 0, 0}, 0, 0, new double[] {1},
                new double[] {1, 1}, 0, 0));

        assertThrows(IllegalArgumentException.class, () -> SpectrumCsv.write(file, 4, oneTooNarrow));

        assertEquals(before, Files.readString(file), "the rows before the failed one are not committed as the file");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void rejectsAWindowOfAnotherWidth() {
        try (SpectrumCsv.Writer writer = SpectrumCsv.open(dir.resolve("s.csv"), 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.append(awkward()));
            assertTrue(e.getMessage().contains("W = 4"), e.getMessage());
        }
    }

    @Test
    void readsTheGoldenFileOfFormatOne() throws IOException {
        Path file = dir.resolve("spectrum.csv");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/golden/spectrum-v1/spectrum.csv"))) {
            Files.copy(in, file);
        }
        List<WindowSpectrum> windows = SpectrumCsv.read(file);
        assertEquals(3, windows.size());
        WindowSpectrum last = windows.getLast();
        assertEquals(800, last.step());
        assertEquals(500, last.firstStep());
        assertEquals(4, last.width());
        assertEquals(1_000, last.dimension());
        assertTrue(last.sigma(1) > last.sigma(2));
        assertTrue(Double.isNaN(windows.getFirst().deltaGramNorm()));
        Path again = dir.resolve("again.csv");
        SpectrumCsv.write(again, 4, windows);
        assertEquals(Files.readString(file), Files.readString(again), "writing what was read reproduces the file");
    }

    @Test
    void readsAFileWithOnlyTheLeadingColumns() throws IOException {
        Path file = dir.resolve("minimal.csv");
        Files.writeString(file, "step,sigma_1,sigma_2,lambda_1,lambda_2,ratio_1,kstar,kstar_weighted,g23\n"
                + "10,2.0,1.0,4.0,1.0,2.0,1,1,NaN\n");
        WindowSpectrum w = SpectrumCsv.read(file).getFirst();
        assertEquals(2.0, w.ratio(1));
        assertEquals(10, w.firstStep());
        assertTrue(Double.isNaN(w.rotationDegrees(1)));
        assertFalse(w.centered());
    }

    @Test
    void rejectsABadHeaderAShortRowAndABadNumberNamingWhere() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "epoch,sigma_1\n1,2\n");
        DataFormatException header = assertThrows(DataFormatException.class, () -> SpectrumCsv.read(file));
        assertTrue(header.getMessage().contains("line 1") && header.getMessage().contains("epoch"), header.getMessage());

        Files.writeString(file, "step,sigma_1,sigma_2,lambda_1,lambda_2,ratio_1,kstar,kstar_weighted,g23\n"
                + "10,2.0,1.0,4.0\n");
        DataFormatException row = assertThrows(DataFormatException.class, () -> SpectrumCsv.read(file));
        assertTrue(row.getMessage().contains("line 2"), row.getMessage());

        Files.writeString(file, "step,sigma_1,sigma_2,lambda_1,lambda_2,ratio_1,kstar,kstar_weighted,g23\n"
                + "10,2.0,one,4.0,1.0,2.0,1,1,3\n");
        DataFormatException number = assertThrows(DataFormatException.class, () -> SpectrumCsv.read(file));
        assertTrue(number.getMessage().contains("column 3 (sigma_2)") && number.getMessage().contains("'one'"),
                number.getMessage());
    }
}
