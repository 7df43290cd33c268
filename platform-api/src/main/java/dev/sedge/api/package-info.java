/**
 * The plugin contract shared by every SPI: {@link dev.sedge.api.Plugin}, its
 * {@link dev.sedge.api.PluginDescriptor} and {@link dev.sedge.api.PluginConfig}, the
 * {@link dev.sedge.api.Provenance} record, and the one exception hierarchy rooted at
 * {@link dev.sedge.api.SedgeException}.
 *
 * <p>No method in this module accepts or returns {@code null} unless it says so.
 */
package dev.sedge.api;
