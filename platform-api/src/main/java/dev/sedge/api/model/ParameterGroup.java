package dev.sedge.api.model;

import java.util.Objects;

/**
 * A named set of a model's parameters the spectrum can be computed over.
 *
 * @param name        lower-kebab-case: {@code attn}, {@code layer1}
 * @param glob        matched against parameter names ({@code *} any run of characters, {@code ?} one)
 * @param description one line
 */
public record ParameterGroup(String name, String glob, String description) {

    public ParameterGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(glob, "glob");
        Objects.requireNonNull(description, "description");
    }
}
