package org.smimegw.gateway.cli;

import picocli.CommandLine;

/** {@code --version}: the jar's Implementation-Version, or "development build" when run from classes. */
final class GatewayVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"smime-gateway " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
