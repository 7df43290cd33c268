package dev.sedge.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.ConfigException;
import dev.sedge.api.DataFormatException;
import dev.sedge.api.PluginException;
import dev.sedge.api.basis.ModeSpectrum;
import dev.sedge.api.detect.DetectorSummary;
import dev.sedge.core.run.EventsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin under fault, through the one policy every call into a plugin goes through. */
class PluginCallTests {

    private static final String WHAT = "detector 'faulty' at the window of step 7";

    @AfterEach
    void clearTimeLimit() {
        System.clearProperty(PluginCall.TIME_LIMIT_PROPERTY);
    }

    @Test
    void uncheckedExceptionIsAPluginFailureNamingTheCall() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginCall.run(WHAT, () -> { throw new IllegalStateException("boom"); }));
        assertEquals(WHAT + " failed: IllegalStateException: boom", e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void ownExceptionsPassThroughAndFactoryRangeErrorsAreConfigErrors() {
        DataFormatException own = new DataFormatException("x.safetensors is truncated");
        assertSame(own, assertThrows(DataFormatException.class, () -> PluginCall.run(WHAT, () -> { throw own; })));
        ConfigException config = assertThrows(ConfigException.class,
                () -> PluginCall.create("detector 'faulty'", () -> { throw new IllegalArgumentException("lag must be > 0"); }));
        assertEquals("detector 'faulty': lag must be > 0", config.getMessage());
    }

    @Test
    void stackOverflowIsAPluginFailure() {
        PluginException e = assertThrows(PluginException.class, () -> PluginCall.run(WHAT, PluginCallTests::recurse));
        assertTrue(e.getMessage().startsWith(WHAT + " failed: StackOverflowError"), e.getMessage());
    }

    private static Integer recurse() {
        return recurse() + 1;
    }

    @Test
    void allocatingWithoutBoundIsAPluginFailureAndTheNextCallWorks() {
        // asks for more than the heap at once: the same OutOfMemoryError as a hoard that fills it, without
        // spending seconds filling 4 GiB first
        long beyondTheHeap = Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / Long.BYTES + 1);
        PluginException e = assertThrows(PluginException.class, () -> PluginCall.run(WHAT, () -> {
            List<long[]> hoard = new ArrayList<>();
            hoard.add(new long[(int) beyondTheHeap]);
            return hoard.size();
        }));
        assertTrue(e.getMessage().startsWith(WHAT + " ran out of memory") && e.getMessage().contains("-Xmx"), e.getMessage());
        assertInstanceOf(OutOfMemoryError.class, e.getCause());
        assertEquals(42, PluginCall.run(WHAT, () -> 42));
    }

    @Test
    void callThatBlocksIsGivenUpAfterTheTimeLimitAndInterrupted() throws InterruptedException {
        System.setProperty(PluginCall.TIME_LIMIT_PROPERTY, "1");
        CountDownLatch interrupted = new CountDownLatch(1);
        long start = System.nanoTime();
        PluginException e = assertThrows(PluginException.class, () -> PluginCall.run(WHAT, () -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException stop) {
                interrupted.countDown();
            }
            return 0;
        }));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().startsWith(WHAT + " did not return within 1 s")
                && e.getMessage().contains("-Dsedge.plugin.timeout="), e.getMessage());
        assertTrue(seconds >= 1 && seconds < 30, "gave up after " + seconds + " s");
        assertTrue(interrupted.await(10, java.util.concurrent.TimeUnit.SECONDS), "the stuck call was not interrupted");
    }

    @Test
    void callThatIgnoresInterruptsIsStillGivenUp() {
        System.setProperty(PluginCall.TIME_LIMIT_PROPERTY, "1");
        AtomicBoolean release = new AtomicBoolean();
        try {
            PluginException e = assertThrows(PluginException.class, () -> PluginCall.create("task 'spin'", () -> {
                while (!release.get()) {
                    Thread.onSpinWait();
                }
                return 0;
            }));
            assertTrue(e.getMessage().startsWith("task 'spin' did not return within 1 s"), e.getMessage());
            assertEquals(7, PluginCall.run(WHAT, () -> 7));
        } finally {
            release.set(true);
        }
    }

    @Test
    void aBasisThatReturnsNaNIsRefusedNamingIt() {
        PluginException e = assertThrows(PluginException.class, () -> PluginCall.run("basis 'broken' projecting v_1",
                () -> new ModeSpectrum(List.of("k=0", "k=1"), new double[] {0.5, Double.NaN})));
        assertTrue(e.getMessage().startsWith("basis 'broken' projecting v_1 failed: IllegalArgumentException: mode power"
                + " must be finite and >= 0, found NaN"), e.getMessage());
    }

    @Test
    void aDetectorsNaNStatisticIsRecordedAsNaN(@TempDir Path folder) {
        DetectorSummary summary = PluginCall.run("detector 'undefined' finishing",
                () -> new DetectorSummary("undefined", List.of(), Map.of("auroc", Double.NaN, "late_ratio", 2.5)));
        Path file = folder.resolve("events.json");
        EventsFile.write(file, List.of(summary));
        assertEquals(List.of(summary).toString(), EventsFile.read(file).toString());
        assertTrue(Double.isNaN(EventsFile.read(file).getFirst().statistics().get("auroc")));
    }

    @Test
    void timeLimitMustBeAPositiveNumberOfSeconds() {
        System.setProperty(PluginCall.TIME_LIMIT_PROPERTY, "soon");
        ConfigException e = assertThrows(ConfigException.class, () -> PluginCall.run(WHAT, () -> 1));
        assertTrue(e.getMessage().startsWith("-Dsedge.plugin.timeout=soon: expected a positive whole number"), e.getMessage());
    }
}
