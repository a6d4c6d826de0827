package org.smimegw.certstore.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.SecretReferences;

/**
 * The console's directory login ({@link LdapUserBind}): find the user's entry by address with the configured filter,
 * then bind as that entry with the password given, against the in-process UnboundID directory.
 */
class LdapUserBindTest {
    private static final String ALICE_PASSWORD = "alice's secret";

    private static LdapUserBind login(LdapConfig config) {
        return new LdapUserBind(config, new SecretReferences(Map.of("LDAP_PW", AdDirectory.SERVICE_PASSWORD)::get));
    }

    private static String alice(AdDirectory directory) throws Exception {
        String dn = directory.addUser("Alice", "alice@example.com", "smtp:alice.alias@example.com");
        directory.addValues(dn, "userPassword", ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8));
        return dn;
    }

    @Test
    void aUserLogsInWithTheirOwnPasswordAndNobodyElseDoes() throws Exception {
        try (AdDirectory directory = AdDirectory.start()) {
            String dn = alice(directory);
            directory.addUser("Bob", "bob@example.com"); // no password: cannot log in
            LdapUserBind bind = login(LdapConfig.of(List.of(directory.url()), AdDirectory.BASE));

            assertThat(bind.authenticate("alice@example.com", ALICE_PASSWORD.toCharArray())).contains(dn);
            assertThat(bind.authenticate("ALICE@example.com ", ALICE_PASSWORD.toCharArray())).as("as mail matches")
                    .contains(dn);
            assertThat(bind.authenticate("alice@example.com", "wrong".toCharArray())).isEmpty();
            assertThat(bind.authenticate("alice@example.com", new char[0])).as("never an anonymous bind").isEmpty();
            assertThat(bind.authenticate("bob@example.com", "anything".toCharArray())).isEmpty();
            assertThat(bind.authenticate("nobody@example.com", ALICE_PASSWORD.toCharArray())).isEmpty();
            assertThat(bind.authenticate("*@example.com", ALICE_PASSWORD.toCharArray())).as("no filter injection")
                    .isEmpty();
            assertThat(bind.authenticate("alice", ALICE_PASSWORD.toCharArray())).as("not an address").isEmpty();
        }
    }

    @Test
    void theSearchUsesTheServiceAccountAndTheConfiguredFilter() throws Exception {
        try (AdDirectory directory = AdDirectory.startRequiringBind()) {
            String dn = alice(directory);
            LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE)
                    .withFilter("(proxyAddresses=smtp:{0})");
            assertThatThrownBy(() -> login(config).authenticate("alice.alias@example.com",
                    ALICE_PASSWORD.toCharArray())).as("anonymous search refused")
                    .isInstanceOf(DirectoryUnavailableException.class);

            LdapUserBind bind = login(config.withBind(AdDirectory.SERVICE_DN, "env:LDAP_PW"));
            assertThat(bind.authenticate("alice.alias@example.com", ALICE_PASSWORD.toCharArray())).contains(dn);
            assertThat(bind.authenticate("alice@example.com", ALICE_PASSWORD.toCharArray()))
                    .as("the filter looks at proxyAddresses only").isEmpty();
        }
    }

    @Test
    void aDirectoryThatCannotBeReachedIsReportedNotTakenAsAWrongPassword() throws Exception {
        String url;
        try (AdDirectory directory = AdDirectory.start()) {
            url = directory.url();
        }
        LdapUserBind bind = login(LdapConfig.of(List.of(url), AdDirectory.BASE));
        assertThatThrownBy(() -> bind.authenticate("alice@example.com", ALICE_PASSWORD.toCharArray()))
                .isInstanceOf(DirectoryUnavailableException.class).hasMessageContaining(url);
    }
}
