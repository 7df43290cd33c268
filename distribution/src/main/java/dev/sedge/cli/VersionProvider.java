package dev.sedge.cli;

import dev.sedge.core.SedgeVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code sedge --version}: the sedge version, then the Java runtime and platform it runs on. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "sedge " + SedgeVersion.current(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
