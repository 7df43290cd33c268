package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextColumnsTests {

    @Test
    void alignsColumnsWithTwoSpacesAndNeverPadsTheLast() {
        String text = TextColumns.align(List.of(List.of("a", "bbb", "x"), List.of("cccc", "d", "yy")));
        assertEquals("a     bbb  x\ncccc  d    yy\n", text);
    }

    @Test
    void dropsTrailingBlanksWhenTheLastCellIsEmpty() {
        assertEquals("a  b\nc\n", TextColumns.align(List.of(List.of("a", "b"), List.of("c", ""))));
    }

    @Test
    void rejectsRaggedRows() {
        assertThrows(IllegalArgumentException.class, () -> TextColumns.align(List.of(List.of("a"), List.of("b", "c"))));
    }
}
