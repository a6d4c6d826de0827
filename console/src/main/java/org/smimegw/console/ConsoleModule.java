package org.smimegw.console;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.ldap.LdapUserBind;
import org.smimegw.gateway.app.ConsoleFactory;
import org.smimegw.gateway.app.GatewayServices;
import org.smimegw.gateway.config.ConsoleConfig;
import org.smimegw.gateway.policy.PolicyExplanation;
import org.smimegw.gateway.reload.ConfigFileEditor;
import org.smimegw.gateway.smtp.PasswordHasher;

/**
 * The console as the gateway finds it ({@code META-INF/services/org.smimegw.gateway.app.ConsoleFactory}): wires the
 * API areas and the pages over the running gateway's services.
 */
public final class ConsoleModule implements ConsoleFactory {

    @Override
    public Console create(GatewayServices services) {
        ConsoleConfig config = services.config().console();
        Path stateDir = services.config().stateDir();
        AuditLog audit = new AuditLog(config.auditLog() != null ? config.auditLog()
                : stateDir.resolve("console").resolve("audit.log"), services.clock());
        var ldap = services.config().certstore().ldap();
        Optional<LdapUserBind> directory = config.selfService().ldap() && ldap != null
                ? Optional.of(new LdapUserBind(ldap, new SecretReferences(System::getenv))) : Optional.empty();
        Authenticator authenticator = new Authenticator(config, directory, new PasswordHasher());
        var certificates = services.certificates();
        List<Routes> routes = List.of(
                new SessionApi(authenticator, audit),
                new OverviewApi(services.metrics(), certificates.fileStore(), services.clock()),
                new SpoolApi(services.spool(), audit),
                new QuarantineApi(services.spool(), audit),
                new CertificatesApi(certificates, audit, services.clock()),
                new PolicyApi(services.policy(), new PolicyExplanation(services.policy(), certificates.store(),
                        certificates.validator(), services.config().internalDomains(), services.clock()),
                        services.reloader(), audit),
                new ConfigApi(new ConfigFileEditor(services.reloader()), audit),
                new PipelineApi(services.containers(), services.metrics()),
                new AuditApi(audit),
                new SelfServiceApi(certificates.store(), certificates.fileStore(),
                        config.selfService().pkcs12Download(), audit, services.clock()),
                new Pages(services.config().hostname()));
        return new ConsoleServer(config, stateDir, services.config().hostname(), services.clock(), routes);
    }
}
