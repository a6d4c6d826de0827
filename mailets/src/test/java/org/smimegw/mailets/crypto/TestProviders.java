package org.smimegw.mailets.crypto;

/**
 * The provider set the crypto interoperability tests run under: the system property
 * {@value #PROPERTY} ({@code auto}, {@code jdk}, {@code bc} or {@code accp}; default {@code auto}). The build runs
 * those tests once per set (the surefire executions in mailets/pom.xml and gateway/pom.xml).
 */
public final class TestProviders {

    public static final String PROPERTY = "smimegw.test.cryptoProviders";

    private TestProviders() {
    }

    public static CryptoProviders choice() {
        return CryptoProviders.fromName(System.getProperty(PROPERTY, "auto"));
    }

    public static PrimitiveProviders providers() {
        return PrimitiveProviders.select(choice());
    }
}
