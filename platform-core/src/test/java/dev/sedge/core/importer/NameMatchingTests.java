package dev.sedge.core.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NameMatchingTests {

    private static TensorInfo t(String name, long... shape) {
        return new TensorInfo(name, DType.F32, java.util.Arrays.stream(shape).boxed().toList());
    }

    @Test
    void aWrapperPrefixOnEitherSideMatchesAndTheRestIsListed() {
        NameMatching m = NameMatching.of(
                List.of(t("net.layer.weight", 4, 3), t("bias", 3), t("net.const", 2)),
                List.of(t("layer.weight", 4, 3), t("model.bias", 3), t("extra", 5)), Map.of(), "here");
        assertEquals(Map.of("net.layer.weight", "layer.weight", "bias", "model.bias"), m.matched());
        assertEquals(List.of("net.layer.weight", "bias"), List.copyOf(m.matched().keySet()), "checkpoint order");
        assertEquals(List.of("net.const"), m.graphOnly());
        assertEquals(List.of("extra"), m.checkpointOnly());
    }

    @Test
    void anExactNameWinsOverAPrefixedOneAndTwoPrefixedOnesAreAmbiguous() {
        NameMatching exact = NameMatching.of(List.of(t("w", 2)), List.of(t("a.w", 2), t("w", 2)), Map.of(), "here");
        assertEquals(Map.of("w", "w"), exact.matched());
        DataFormatException e = assertThrows(DataFormatException.class, () -> NameMatching.of(List.of(t("w", 2)),
                List.of(t("a.w", 2), t("b.w", 2)), Map.of(), "here"));
        assertTrue(e.getMessage().contains("could be any of [a.w, b.w]") && e.getMessage().contains("--map"),
                e.getMessage());
    }

    @Test
    void aTransposedWeightIsRefusedWithTheExportAdvice() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NameMatching.of(
                List.of(t("net.fc.weight", 3, 4)), List.of(t("fc.weight", 4, 3)), Map.of(), "here"));
        assertTrue(e.getMessage().contains("do_constant_folding=False"), e.getMessage());
    }

    @Test
    void aTensorTwoInitializersClaimIsRefused() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NameMatching.of(
                List.of(t("a.w", 2), t("b.w", 2)), List.of(t("w", 2)), Map.of(), "here"));
        assertTrue(e.getMessage().contains("matches two initializers"), e.getMessage());
    }

    @Test
    void noMatchAtAllListsBothSides() {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NameMatching.of(
                List.of(t("x", 2)), List.of(t("y", 2)), Map.of(), "here"));
        assertTrue(e.getMessage().contains("[x]") && e.getMessage().contains("[y]"), e.getMessage());
    }

    @Test
    void anExplicitMapOverridesNamesAndItsMistakesAreNamed() {
        NameMatching m = NameMatching.of(List.of(t("head", 2), t("w", 2)), List.of(t("decoder", 2), t("w", 2)),
                Map.of("head", "decoder"), "here");
        assertEquals(Map.of("head", "decoder", "w", "w"), m.matched());
        assertThrows(DataFormatException.class, () -> NameMatching.of(List.of(t("head", 2)), List.of(t("w", 2)),
                Map.of("nothead", "w"), "here"));
        assertThrows(DataFormatException.class, () -> NameMatching.of(List.of(t("head", 2)), List.of(t("w", 2)),
                Map.of("head", "missing"), "here"));
        assertThrows(DataFormatException.class, () -> NameMatching.of(List.of(t("head", 2)), List.of(t("w", 3)),
                Map.of("head", "w"), "here"));
    }

    @Test
    void theModelPartIsTheOneWrapperPresentOrTheKeyAskedFor() {
        Path file = Path.of("ckpt.pt");
        List<TensorInfo> wrapped = List.of(t("model.w", 2), t("optimizer.state.0.exp_avg", 2),
                new TensorInfo("step", DType.I64, List.of()));
        ModelPart part = ModelPart.of(wrapped, Optional.empty(), file);
        assertEquals("model.", part.prefix());
        assertEquals(List.of(t("w", 2)), part.tensors());
        assertEquals(2, part.excluded());
        assertEquals("model.w", part.stored("w"));
        assertEquals(List.of(t("state.0.exp_avg", 2)), ModelPart.of(wrapped, Optional.of("optimizer"), file).tensors());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ModelPart.of(wrapped, Optional.of("ema"), file));
        assertTrue(e.getMessage().contains("[model, optimizer, step]"), e.getMessage());
        // a bare state dict, or two wrappers: every floating-point tensor
        assertEquals("", ModelPart.of(List.of(t("w", 2)), Optional.empty(), file).prefix());
        assertEquals(2, ModelPart.of(List.of(t("model.w", 2), t("state_dict.w", 2)), Optional.empty(), file)
                .tensors().size());
    }
}
