package dev.sedge.core.sweep;

import java.util.Objects;

/**
 * One quantity of a reproduction, published and reproduced: a row of {@code sedge reproduce}'s
 * paper-vs-sedge table.
 *
 * @param quantity what ({@code x² fires})
 * @param paper    the published value as the paper states it, or {@code not reported}
 * @param ours     this run's value, or {@code not run}
 */
public record PaperComparison(String quantity, String paper, String ours) {

    public PaperComparison {
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(paper, "paper");
        Objects.requireNonNull(ours, "ours");
    }
}
