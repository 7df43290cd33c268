package dev.sedge.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A short fuzzing run of every reader (seconds each, {@code -Dsedge.fuzz.seconds}), part of
 * {@code ./mvnw verify}: no input may end in anything but a value or sedge's own exception.
 * The long campaign is {@code fuzz/run.sh}.
 */
class FuzzIT {

    @ParameterizedTest
    @EnumSource(Reader.class)
    void readerSurvivesFuzzing(Reader target) throws Exception {
        long seconds = Long.getLong("sedge.fuzz.seconds", 5);
        FuzzCampaign.Outcome outcome = FuzzCampaign.fromProperties().run(target, FuzzCampaign.Limit.seconds(seconds));
        String log = Files.readString(outcome.log());
        assertTrue(outcome.clean(), () -> target.id() + ": Jazzer exited " + outcome.exitCode() + " after "
                + outcome.executions() + " inputs, saved " + outcome.findings()
                + " (replay one with FuzzRegressionTests by copying it to fuzz/regressions/" + target.id() + "/)\n"
                + log.substring(Math.max(0, log.length() - 6000)));
        System.out.printf("%s: %d inputs in %.1f s%n", target.id(), outcome.executions(), outcome.seconds());
    }
}
