package dev.sedge.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input a fuzzing run ever failed on, kept in {@code fuzz/regressions/<target>/}, and every
 * seed, read again in process: each must end in a value or sedge's own exception.
 */
class FuzzRegressionTests {

    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path scratch;

    @TestFactory
    List<DynamicTest> everyKeptFindingIsRefusedCleanly() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Reader target : Reader.values()) {
            Path folder = REPO.resolve("fuzz/regressions").resolve(target.id());
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.sorted().toList()) {
                        tests.add(DynamicTest.dynamicTest(target.id() + " " + file.getFileName(),
                                () -> assertDoesNotThrow(() -> target.accept(Files.readAllBytes(file), scratch))));
                    }
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everySeedReads() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        FuzzCampaign campaign = new FuzzCampaign(REPO, "", REPO.resolve("fuzz/target/seeds-check"));
        for (Reader target : Reader.values()) {
            List<Path> files = campaign.seedFiles(target);
            tests.add(DynamicTest.dynamicTest(target.id() + " has seeds", () -> assertFalse(files.isEmpty())));
            for (Path file : files) {
                tests.add(DynamicTest.dynamicTest(target.id() + " " + REPO.relativize(file),
                        () -> assertDoesNotThrow(() -> target.accept(Files.readAllBytes(file), scratch))));
            }
        }
        return tests;
    }
}
