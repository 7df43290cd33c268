package dev.sedge.core;

import dev.sedge.api.Plugin;

/** The version of this sedge build, read from the core module. */
public final class SedgeVersion {

    private SedgeVersion() {
    }

    /** {@code 0.1.0}, or {@code unversioned} when run from classes without a module version. */
    public static String current() {
        return Plugin.versionOf(SedgeVersion.class);
    }
}
